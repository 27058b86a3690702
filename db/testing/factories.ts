import { randomBytes, randomUUID } from "node:crypto";
import { numbers, users } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import type { Executor } from "../client";

export const TEST_SECRET = "integration-test-secret-0123456789";

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join("");

/** A connected number with unique Meta ids; onboarded an hour ago unless told otherwise. */
export async function createNumber(db: Executor, overrides: Partial<typeof numbers.$inferInsert> = {}) {
  const [row] = await db
    .insert(numbers)
    .values({
      phoneNumberId: `1${digits(14)}`,
      wabaId: `2${digits(14)}`,
      displayPhoneNumber: `1555${digits(7)}`,
      verifiedName: "Test Shop",
      accessTokenEncrypted: encryptSecret("test-token", TEST_SECRET),
      onboardedAt: new Date(Date.now() - 60 * 60 * 1000),
      ...overrides,
    })
    .returning();
  return row!;
}

export async function createUser(db: Executor, overrides: Partial<typeof users.$inferInsert> = {}) {
  const [row] = await db
    .insert(users)
    .values({ email: `user-${randomUUID()}@example.com`, name: "Test Agent", passwordHash: "x", role: "admin", ...overrides })
    .returning();
  return row!;
}

export const newWamid = () => `wamid.${randomBytes(24).toString("base64")}`;
export const newWaId = () => `1650${digits(7)}`;
