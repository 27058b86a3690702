import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { getSignedInUser } from "@/lib/auth/options";
import { isFirstRun, safeCallbackUrl } from "../first-run";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await isFirstRun()) redirect("/setup");
  const callbackUrl = safeCallbackUrl((await searchParams).callbackUrl);
  // A deactivated or reset account still holds a cookie: it sees the form, not a redirect loop.
  if (await getSignedInUser()) redirect(callbackUrl);
  return (
    <AuthCard title="Sign in to Tandem" intro="Use the email and password your admin set up for you.">
      <LoginForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
