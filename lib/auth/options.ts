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

/** next-auth's tolerance on the expiry, in seconds. */
const CLOCK_TOLERANCE = 15;
type SessionClaims = { uid: string; sv: number; exp: number };
/**
 * The claims of the session cookies opened lately, by the cookie's value: a browser sends the same
 * cookie with every request, and opening it (AES-GCM, on the thread pool) cost more CPU than the
 * rest of the check. The value seals its claims, so it can be trusted again without opening it; the
 * expiry is checked again at every use, and the user row is read every time (see signedInUserOf).
 */
const openedSessions = new Map<string, SessionClaims>();
const OPENED_SESSIONS_KEPT = 1000;

async function sessionClaimsOf(token: string): Promise<SessionClaims | null> {
  let claims = openedSessions.get(token);
  if (!claims) {
    const payload = await jwtDecrypt(token, sessionKeyOf(webEnv().AUTH_SECRET), { clockTolerance: CLOCK_TOLERANCE }).then(
      (r) => r.payload,
      () => null,
    );
    const { uid, sv, exp } = payload ?? {};
    if (typeof uid !== "string" || typeof sv !== "number" || typeof exp !== "number") return null;
    claims = { uid, sv, exp };
    if (openedSessions.size >= OPENED_SESSIONS_KEPT) openedSessions.delete(openedSessions.keys().next().value!);
    openedSessions.set(token, claims);
  }
  // As jose checks it: expired when `exp` is at or before now, less the tolerance.
  return claims.exp > Math.floor(Date.now() / 1000) - CLOCK_TOLERANCE ? claims : null;
}

type CookieJar = { get(name: string): { value: string } | undefined };

/**
 * The signed-in user of a request's cookies, as the database sees them now: null without a valid
 * session cookie (missing, tampered, expired, or sealed with another secret), for a deactivated
 * user, or for a session older than the user's last password change or reset.
 *
 * Reads next-auth's cookie the way next-auth's `decode` does (its cookie name for the public URL,
 * its key, its 15 s of clock tolerance on the expiry), opening each cookie once (sessionClaimsOf),
 * without `getServerSession`: that also runs the callbacks and encrypts a
 * renewed token on every call, whose cookie it cannot set from a server component or route handler,
 * so the work was thrown away. The session lasts `maxAge` from sign-in, as it did.
 */
export async function signedInUserOf(jar: CookieJar) {
  // next-auth's own choice of cookie name: Secure and prefixed when the public URL is https.
  const secure = webEnv().NEXTAUTH_URL?.startsWith("https://") ?? false;
  // Our token is far below the 4 KB at which next-auth would split it into chunked cookies.
  const token = jar.get(`${secure ? "__Secure-" : ""}next-auth.session-token`)?.value;
  if (!token) return null;
  const claims = await sessionClaimsOf(token);
  if (!claims) return null;
  const user = await findUserById(getDb(), claims.uid);
  if (!user?.isActive || user.sessionVersion !== claims.sv) return null;
  return user;
}

export const getSignedInUser = async () => signedInUserOf(await cookies());
