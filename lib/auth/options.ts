import "server-only";
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
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
          token.role = (user as { role?: "admin" | "agent" }).role ?? "agent";
        }
        return token;
      },
      session({ session, token }) {
        session.user = { ...session.user, id: String(token.uid), role: token.role === "admin" ? "admin" : "agent" };
        return session;
      },
    },
  };
}

export const getSession = () => getServerSession(authOptions());
