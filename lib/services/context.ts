import type { Executor, Sql } from "@/db/client";

export type Actor =
  | { kind: "user"; userId: string; role: "admin" | "agent"; name: string }
  | { kind: "webhook" }
  | { kind: "system"; name: string };

/** What every use case receives: who acts, and the database handle or transaction to act on. */
export type Ctx = { db: Executor; actor: Actor; secret?: string; sql?: Sql };

export type UserActor = Extract<Actor, { kind: "user" }>;
