import { boolean, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { numbers } from "./numbers";

export const userRole = pgEnum("user_role", ["admin", "agent"]);

/** Per-user alerts; every key is optional so a new kind of alert needs no migration. */
export type NotificationSettings = {
  sound?: boolean;
  desktop?: boolean;
  newConversation?: boolean;
  assignedMessage?: boolean;
  assignedToMe?: boolean;
  mentioned?: boolean;
};

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  // Stored lower-cased; the unique index makes sign-up races safe.
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: userRole("role").notNull().default("agent"),
  isActive: boolean("is_active").notNull().default(true),
  // Carried in the session; bumping it (deactivation, password change or reset) ends every session.
  sessionVersion: integer("session_version").notNull().default(0),
  notificationSettings: jsonb("notification_settings").$type<NotificationSettings>().notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Which numbers an agent may see; admins see every number. */
export const numberAccess = pgTable(
  "number_access",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    numberId: uuid("number_id")
      .notNull()
      .references(() => numbers.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.numberId] })],
);

/**
 * A single-use invitation. Only the SHA-256 of its token is stored, so a database dump cannot be
 * used to join; `accepted_at` is set in the same statement that checks it, so a link works once.
 */
export const invites = pgTable("invites", {
  id: uuid("id").primaryKey().defaultRandom(),
  tokenHash: text("token_hash").notNull().unique(),
  email: text("email").notNull(),
  role: userRole("role").notNull().default("agent"),
  numberIds: uuid("number_ids").array().notNull().default([]),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  acceptedAt: timestamp("accepted_at", { withTimezone: true }),
  acceptedUserId: uuid("accepted_user_id").references(() => users.id, { onDelete: "set null" }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
