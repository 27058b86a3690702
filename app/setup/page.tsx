import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { isFirstRun } from "../first-run";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "First run" };

export default async function SetupPage() {
  if (!(await isFirstRun())) redirect("/login");
  return (
    <AuthCard
      title="Create the first admin"
      intro="Welcome to Tandem. This account connects WhatsApp numbers and invites the rest of the team."
    >
      <SetupForm />
    </AuthCard>
  );
}
