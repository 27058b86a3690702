import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

type Generated = { AUTH_SECRET: string; META_APP_SECRET: string; META_VERIFY_TOKEN: string; POSTGRES_PASSWORD: string };

/**
 * Secrets the launcher generates once and keeps in the data folder (mode 600) when the
 * environment does not provide them, so a restart keeps sessions, tokens and the database.
 */
export function loadGeneratedSecrets(dataDir: string): Generated {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "secrets.json");
  const existing: Partial<Generated> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets: Generated = {
    AUTH_SECRET: existing.AUTH_SECRET ?? randomBytes(32).toString("base64url"),
    META_APP_SECRET: existing.META_APP_SECRET ?? randomBytes(16).toString("hex"),
    META_VERIFY_TOKEN: existing.META_VERIFY_TOKEN ?? randomBytes(12).toString("base64url"),
    POSTGRES_PASSWORD: existing.POSTGRES_PASSWORD ?? randomBytes(18).toString("base64url"),
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
