import { jwtVerify, SignJWT } from "jose";

const AUDIENCE = "tandem-realtime";
const keyOf = (secret: string) => new TextEncoder().encode(`realtime:${secret}`);

/** Valid for one minute: enough to open a socket, useless if it leaks later. */
export function mintRealtimeToken(input: { userId: string; secret: string; ttlSeconds?: number }) {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(input.userId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${input.ttlSeconds ?? 60}s`)
    .sign(keyOf(input.secret));
}

export async function verifyRealtimeToken(token: string, secret: string): Promise<{ userId: string }> {
  const { payload } = await jwtVerify(token, keyOf(secret), { audience: AUDIENCE, algorithms: ["HS256"] });
  if (!payload.sub) throw new Error("token has no subject");
  return { userId: payload.sub };
}
