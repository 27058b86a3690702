import { AppError } from "@/lib/errors";
import { storableText, WebhookPayloadError } from "@/lib/whatsapp/webhook-payload";

const MAX_LENGTH = 200;

type PgLike = { code?: unknown; severity?: unknown; message?: unknown };

function postgresErrorOf(error: unknown): PgLike | null {
  for (let e = error as (PgLike & { cause?: unknown }) | undefined, depth = 0; e && depth < 4; e = e.cause as never, depth++) {
    if (typeof e.code === "string" && typeof e.severity === "string") return e;
  }
  return null;
}

/**
 * A failure as it may be stored on a webhook event and shown to admins: short, storable, and free
 * of SQL, query parameters and message text (drizzle's errors carry all three). PostgreSQL's own
 * message is kept with any quoted value elided, since some messages quote the offending input.
 */
export function describeFailure(error: unknown): string {
  const pg = postgresErrorOf(error);
  let text: string;
  if (pg) text = `database error ${pg.code}: ${String(pg.message).replace(/"[^"]*"/g, '"…"')}`;
  else if (error instanceof AppError || error instanceof WebhookPayloadError) text = error.message;
  else if (error instanceof Error) {
    const first = error.message.split("\n")[0];
    text = error.name === "Error" ? first! : `${error.name}: ${first}`;
  } else text = "unknown failure";
  const clean = storableText(text);
  return clean.length > MAX_LENGTH ? `${clean.slice(0, MAX_LENGTH - 1)}…` : clean;
}

/** Lock waits, deadlocks and serialisation failures: trying again later may succeed. */
const TRANSIENT_CODES = new Set(["40P01", "40001", "55P03", "57014"]);

export function isTransient(error: unknown) {
  const code = postgresErrorOf(error)?.code;
  return typeof code === "string" && TRANSIENT_CODES.has(code);
}
