import type { Metadata } from "next";
import { getSignedInUser } from "@/lib/auth/options";
import { getSignupConfig } from "@/lib/server/signup";
import { AdminsOnly } from "../admins-only";
import { NumbersSettings } from "./numbers-settings";

export const metadata: Metadata = { title: "Numbers" };

export default async function NumbersPage() {
  const user = await getSignedInUser();
  if (user?.role !== "admin") return <AdminsOnly what="connect and manage numbers" />;
  const config = getSignupConfig();
  // A real Meta app needs its Embedded Signup configuration before anyone can launch it.
  const missing = config.isDemo ? null : !config.appId ? "META_APP_ID" : !config.configId ? "META_CONFIG_ID" : null;
  return (
    <NumbersSettings
      userId={user.id}
      isDemo={config.isDemo}
      signup={{
        sdkUrl: config.sdkUrl,
        messageOrigin: config.messageOrigin,
        appId: config.appId,
        configId: config.configId,
        graphVersion: config.graphVersion,
        extras: config.extras,
      }}
      missingSetting={missing}
    />
  );
}
