import { jwtVerify, SignJWT } from "jose";

const AUDIENCE = "tandem-realtime";
const keyOf = (secret: string) => new TextEncoder().encode(`realtime:${secret}`);

/**
 * Valid for one minute: enough to open a socket, useless if it leaks later. Carries the session
 * version, so a token minted before a deactivation or password reset cannot open a socket after it.
 */
export function mintRealtimeToken(input: { userId: string; sessionVersion: number; secret: string; ttlSeconds?: number }) {
  return new SignJWT({ sv: input.sessionVersion })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(input.userId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${input.ttlSeconds ?? 60}s`)
    .sign(keyOf(input.secret));
}

export async function verifyRealtimeToken(token: string, secret: string): Promise<{ userId: string; sessionVersion: number }> {
  const { payload } = await jwtVerify(token, keyOf(secret), { audience: AUDIENCE, algorithms: ["HS256"] });
  if (!payload.sub) throw new Error("token has no subject");
  if (typeof payload.sv !== "number") throw new Error("token has no session version");
  return { userId: payload.sub, sessionVersion: payload.sv };
}
