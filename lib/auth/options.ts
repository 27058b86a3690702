import "server-only";
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { findUserById } from "@/db/queries/users";
import { webEnv } from "@/lib/env/web";
import { getDb } from "@/lib/server/db";
import { authenticate } from "@/lib/services/users/authenticate";

const credentialsSchema = z.object({ email: z.string().min(1), password: z.string().min(1) });

export function authOptions(): NextAuthOptions {
  return {
    secret: webEnv().AUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          return authenticate({ ctx: { db: getDb(), actor: { kind: "system", name: "auth" } }, input: parsed.data });
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          const signedIn = user as { role?: "admin" | "agent"; sessionVersion?: number };
          token.role = signedIn.role ?? "agent";
          token.sv = signedIn.sessionVersion ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        session.user = {
          ...session.user,
          id: String(token.uid),
          role: token.role === "admin" ? "admin" : "agent",
          sessionVersion: typeof token.sv === "number" ? token.sv : -1,
        };
        return session;
      },
    },
  };
}

export const getSession = () => getServerSession(authOptions());

/**
 * The signed-in user as the database sees them now: null without a session, for a deactivated
 * user, or for a session older than the user's last password change or reset.
 */
export async function getSignedInUser() {
  const session = await getSession();
  if (!session?.user?.id) return null;
  const user = await findUserById(getDb(), session.user.id);
  if (!user?.isActive || user.sessionVersion !== session.user.sessionVersion) return null;
  return user;
}
