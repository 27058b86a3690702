import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

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
  // Time of the lifecycle event that set `state`; older events never overwrite a newer state.
  stateChangedAt: timestamp("state_changed_at", { withTimezone: true }),
  disconnectionReason: text("disconnection_reason"),
  disconnectionInitiatedBy: text("disconnection_initiated_by"),
  // Only live customer messages received after this instant open the 24-hour window.
  onboardedAt: timestamp("onboarded_at", { withTimezone: true }).notNull().defaultNow(),
  // Set when Meta rejected the token (190): sends and media downloads pause until a new token is stored.
  tokenInvalidAt: timestamp("token_invalid_at", { withTimezone: true }),
  // Messages per second the outbound queue allows this number (coexistence numbers: 20).
  sendRatePerSecond: integer("send_rate_per_second").notNull().default(20),
  // Last time the WABA's templates were listed from Meta; null until the first sync.
  templatesSyncedAt: timestamp("templates_synced_at", { withTimezone: true }),
  // When on, an agent who replies to an unassigned conversation becomes its assignee.
  autoAssignOnReply: boolean("auto_assign_on_reply").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every account_update Meta sent for a WABA: the number's timestamped lifecycle history. */
export const numberEvents = pgTable(
  "number_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    wabaId: text("waba_id").notNull(),
    event: text("event").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    phoneNumber: text("phone_number"),
    disconnectionReason: text("disconnection_reason"),
    disconnectionInitiatedBy: text("disconnection_initiated_by"),
    details: jsonb("details"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A redelivered lifecycle event is recorded once.
    uniqueIndex("number_events_key").on(t.wabaId, t.event, t.occurredAt),
    index("number_events_waba_idx").on(t.wabaId, t.occurredAt),
  ],
);

/**
 * One-time states of Embedded Signup launches: the completion must bring back a state issued to the
 * same admin moments before, and consuming it deletes it, so a completion cannot be replayed or forged.
 * Only a SHA-256 of the state is stored.
 */
export const onboardingStates = pgTable("onboarding_states", {
  stateSha256: text("state_sha256").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
