import "server-only";
import { hkdfSync } from "node:crypto";
import { jwtDecrypt } from "jose";
import { cookies } from "next/headers";
import type { NextAuthOptions } from "next-auth";
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

let sessionKey: Uint8Array | undefined;

/**
 * The key next-auth seals session cookies with (its `encode` and `decode` derive it from the secret
 * on every call, which cost more than decrypting): HKDF-SHA256 of the secret, empty salt, its info.
 */
function sessionKeyOf(secret: string) {
  sessionKey ??= new Uint8Array(hkdfSync("sha256", secret, "", "NextAuth.js Generated Encryption Key", 32));
  return sessionKey;
}

type CookieJar = { get(name: string): { value: string } | undefined };

/**
 * The signed-in user of a request's cookies, as the database sees them now: null without a valid
 * session cookie (missing, tampered, expired, or sealed with another secret), for a deactivated
 * user, or for a session older than the user's last password change or reset.
 *
 * Reads next-auth's cookie the way next-auth's `decode` does (its cookie name for the public URL,
 * its key, its 15 s of clock tolerance on the expiry), without `getServerSession`: that also runs the callbacks and encrypts a
 * renewed token on every call, whose cookie it cannot set from a server component or route handler,
 * so the work was thrown away. The session lasts `maxAge` from sign-in, as it did.
 */
export async function signedInUserOf(jar: CookieJar) {
  // next-auth's own choice of cookie name: Secure and prefixed when the public URL is https.
  const secure = webEnv().NEXTAUTH_URL?.startsWith("https://") ?? false;
  // Our token is far below the 4 KB at which next-auth would split it into chunked cookies.
  const token = jar.get(`${secure ? "__Secure-" : ""}next-auth.session-token`)?.value;
  if (!token) return null;
  const claims = await jwtDecrypt(token, sessionKeyOf(webEnv().AUTH_SECRET), { clockTolerance: 15 }).then(
    (r) => r.payload,
    () => null,
  );
  if (typeof claims?.uid !== "string" || typeof claims.sv !== "number") return null;
  const user = await findUserById(getDb(), claims.uid);
  if (!user?.isActive || user.sessionVersion !== claims.sv) return null;
  return user;
}

export const getSignedInUser = async () => signedInUserOf(await cookies());
