import { pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const numberState = pgEnum("number_state", [
  "connected",
  "offboarded",
  "disconnected",
  "uninstalled",
  "restricted",
  "deleted",
]);

export const numbers = pgTable("numbers", {
  id: uuid("id").primaryKey().defaultRandom(),
  // Meta's phone_number_id routes every webhook (except account_update) to a number.
  phoneNumberId: text("phone_number_id").notNull().unique(),
  wabaId: text("waba_id").notNull(),
  displayPhoneNumber: text("display_phone_number").notNull(),
  verifiedName: text("verified_name").notNull().default(""),
  // Business token, AES-256-GCM encrypted (lib/crypto.ts); never sent to the browser.
  accessTokenEncrypted: text("access_token_encrypted").notNull(),
  state: numberState("state").notNull().default("connected"),
  // Only live customer messages received after this instant open the 24-hour window.
  onboardedAt: timestamp("onboarded_at", { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
