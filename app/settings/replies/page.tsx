import type { Metadata } from "next";
import { getSignedInUser } from "@/lib/auth/options";
import { AdminsOnly } from "../admins-only";
import { RepliesSettings } from "./replies-settings";

export const metadata: Metadata = { title: "Replies" };

export default async function RepliesPage() {
  const user = await getSignedInUser();
  if (user?.role !== "admin") return <AdminsOnly what="manage canned replies and auto-assignment" />;
  return <RepliesSettings />;
}
