import { eq, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { users } from "@/db/schema";
import { connectTestDatabase } from "@/db/testing/database";
import { createUser } from "@/db/testing/factories";

const secret = "session-test-auth-secret-0123456789";
const { db } = connectTestDatabase();
let signedInUserOf: typeof import("./options").signedInUserOf;

beforeAll(async () => {
  Object.assign(process.env, {
    AUTH_SECRET: secret,
    META_APP_SECRET: "unused",
    META_VERIFY_TOKEN: "unused",
    NEXTAUTH_URL: "https://tandem.example.com",
  });
  ({ signedInUserOf } = await import("./options"));
});

/** The cookie next-auth sets at sign-in over https, sealed as its `encode` seals it. */
async function sessionCookie(
  user: typeof users.$inferSelect,
  options: { maxAge?: number; secret?: string; claims?: Record<string, unknown> } = {},
) {
  const token = await encode({
    secret: options.secret ?? secret,
    maxAge: options.maxAge ?? 12 * 60 * 60,
    token: {
      name: user.name,
      email: user.email,
      sub: user.id,
      uid: user.id,
      role: user.role,
      sv: user.sessionVersion,
      ...options.claims,
    },
  });
  return { name: "__Secure-next-auth.session-token", value: token };
}
const jarOf = (...cookies: { name: string; value: string }[]) => ({
  get: (name: string) => cookies.find((c) => c.name === name),
});

describe("the signed-in user of a request's session cookie", () => {
  it("is the user of a cookie sealed at sign-in, as the database has them now", async () => {
    const user = await createUser(db, { role: "agent" });
    const found = await signedInUserOf(jarOf(await sessionCookie(user)));
    expect(found).toMatchObject({ id: user.id, role: "agent", isActive: true });
  });

  it("takes the role from the database, not the cookie", async () => {
    const user = await createUser(db, { role: "agent" });
    const cookie = await sessionCookie(user, { claims: { role: "admin" } });
    expect((await signedInUserOf(jarOf(cookie)))?.role).toBe("agent");
  });

  it("is nobody without a cookie, or with one under the http name when the public URL is https", async () => {
    const user = await createUser(db);
    const cookie = await sessionCookie(user);
    expect(await signedInUserOf(jarOf())).toBeNull();
    expect(await signedInUserOf(jarOf({ name: "next-auth.session-token", value: cookie.value }))).toBeNull();
  });

  it("is nobody once the user is deactivated, even before the session version moves", async () => {
    const user = await createUser(db);
    const cookie = await sessionCookie(user);
    await db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
    expect(await signedInUserOf(jarOf(cookie))).toBeNull();
  });

  it("is nobody once the session is revoked (a password change or reset moves the session version)", async () => {
    const user = await createUser(db);
    const cookie = await sessionCookie(user);
    await db
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, user.id));
    expect(await signedInUserOf(jarOf(cookie))).toBeNull();
    // A new sign-in carries the new version.
    const [now] = await db.select().from(users).where(eq(users.id, user.id));
    expect(await signedInUserOf(jarOf(await sessionCookie(now!)))).toMatchObject({ id: user.id });
  });

  it("is nobody for an expired cookie (beyond next-auth's 15 s of clock tolerance)", async () => {
    const user = await createUser(db);
    expect(await signedInUserOf(jarOf(await sessionCookie(user, { maxAge: -20 })))).toBeNull();
  });

  it("is nobody for a tampered cookie, one sealed with another secret, or one without our claims", async () => {
    const user = await createUser(db);
    const { name, value } = await sessionCookie(user);
    const parts = value.split(".");
    const flipped = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    for (const i of [0, 2, 3, 4]) {
      const tampered = parts.map((p, j) => (j === i ? flipped(p) : p)).join(".");
      expect(await signedInUserOf(jarOf({ name, value: tampered })), `part ${i}`).toBeNull();
    }
    expect(await signedInUserOf(jarOf({ name, value: "not a token" }))).toBeNull();
    expect(await signedInUserOf(jarOf(await sessionCookie(user, { secret: "another-secret-0123456789abcdef" })))).toBeNull();
    expect(await signedInUserOf(jarOf(await sessionCookie(user, { claims: { uid: undefined } })))).toBeNull();
    expect(await signedInUserOf(jarOf(await sessionCookie(user, { claims: { sv: undefined } })))).toBeNull();
  });

  describe("a cookie already opened (its claims are remembered)", () => {
    afterEach(() => vi.useRealTimers());

    it("is refused once it expires", async () => {
      const user = await createUser(db);
      const cookie = await sessionCookie(user, { maxAge: 60 });
      expect(await signedInUserOf(jarOf(cookie))).toMatchObject({ id: user.id });
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 70_000);
      expect(await signedInUserOf(jarOf(cookie))).toMatchObject({ id: user.id });
      vi.setSystemTime(Date.now() + 10_000);
      expect(await signedInUserOf(jarOf(cookie))).toBeNull();
    });

    it("is refused at once after a deactivation or a revocation", async () => {
      const user = await createUser(db);
      const other = await createUser(db);
      const cookie = await sessionCookie(user);
      const otherCookie = await sessionCookie(other);
      expect(await signedInUserOf(jarOf(cookie))).toMatchObject({ id: user.id });
      expect(await signedInUserOf(jarOf(otherCookie))).toMatchObject({ id: other.id });
      await db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
      await db
        .update(users)
        .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
        .where(eq(users.id, other.id));
      expect(await signedInUserOf(jarOf(cookie))).toBeNull();
      expect(await signedInUserOf(jarOf(otherCookie))).toBeNull();
    });

    it("stays tied to its own value: a tampered copy is still refused", async () => {
      const user = await createUser(db);
      const { name, value } = await sessionCookie(user);
      expect(await signedInUserOf(jarOf({ name, value }))).toMatchObject({ id: user.id });
      const parts = value.split(".");
      parts[3] = (parts[3]![0] === "A" ? "B" : "A") + parts[3]!.slice(1);
      expect(await signedInUserOf(jarOf({ name, value: parts.join(".") }))).toBeNull();
    });
  });
});
