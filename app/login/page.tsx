import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { getSession } from "@/lib/auth/options";
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
  const session = await getSession();
  if (session?.user?.id) redirect(callbackUrl);
  return (
    <AuthCard title="Sign in to Tandem" intro="Use the email and password your admin set up for you.">
      <LoginForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
