import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { AppError } from "@/lib/errors";
import { getDb } from "@/lib/server/db";
import { getInvite } from "@/lib/services/users/get-invite";
import { AcceptInviteForm } from "./accept-invite-form";

export const metadata: Metadata = { title: "Join the team" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await getInvite({ ctx: { db: getDb(), actor: { kind: "system", name: "invite" } }, input: { token } }).catch(
    (error) => {
      if (error instanceof AppError) return null;
      throw error;
    },
  );
  if (!invite) {
    return (
      <AuthCard title="This invitation cannot be used" intro="It was already used, it expired, or it was withdrawn.">
        <p className="text-sm text-zinc-700">Ask your admin for a new invitation link.</p>
        <a href="/login" className="mt-4 inline-block text-sm font-medium text-emerald-800 underline underline-offset-2">
          Go to sign in
        </a>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Join your team on Tandem"
      intro={`You were invited as ${invite.role === "admin" ? "an admin" : "an agent"} with ${invite.email}. Choose your name and a password.`}
    >
      <AcceptInviteForm token={token} email={invite.email} />
    </AuthCard>
  );
}
