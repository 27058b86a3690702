import type { Metadata } from "next";
import { getSignupConfig } from "@/lib/server/signup";
import { NumbersSettings } from "./numbers-settings";

export const metadata: Metadata = { title: "Numbers" };

export default function NumbersPage() {
  const config = getSignupConfig();
  // A real Meta app needs its Embedded Signup configuration before anyone can launch it.
  const missing = config.isDemo ? null : !config.appId ? "META_APP_ID" : !config.configId ? "META_CONFIG_ID" : null;
  return (
    <NumbersSettings
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
