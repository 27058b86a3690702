import type { Metadata } from "next";
import { getSignedInUser } from "@/lib/auth/options";
import { AdminsOnly } from "../admins-only";
import { Team } from "./team";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const user = await getSignedInUser();
  if (user?.role !== "admin") return <AdminsOnly what="invite and manage the team" />;
  return <Team me={user.id} />;
}
