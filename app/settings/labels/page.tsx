import type { Metadata } from "next";
import { getSignedInUser } from "@/lib/auth/options";
import { AdminsOnly } from "../admins-only";
import { LabelsSettings } from "./labels-settings";

export const metadata: Metadata = { title: "Labels" };

export default async function LabelsPage() {
  const user = await getSignedInUser();
  if (user?.role !== "admin") return <AdminsOnly what="define labels" />;
  return <LabelsSettings />;
}
