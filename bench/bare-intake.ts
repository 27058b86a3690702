/**
 * The reference the intake route is compared with: a bare `node:http` server doing the same work
 * (HMAC check on the raw bytes, one insert of the raw event, the answer) and nothing else.
 * Usage: tsx bench/bare-intake.ts <port> (DATABASE_URL and META_APP_SECRET from the environment).
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import postgres from "postgres";
import { isValidSignature } from "@/lib/whatsapp/signature";

const port = Number(process.argv[2]);
const secret = process.env.META_APP_SECRET ?? "";
const sql = postgres(process.env.DATABASE_URL ?? "", { max: 20, onnotice: () => {} });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", async () => {
    const raw = Buffer.concat(chunks);
    if (!isValidSignature(raw, (req.headers["x-hub-signature-256"] as string | undefined) ?? null, secret)) {
      res.writeHead(401).end();
      return;
    }
    try {
      const sha = createHash("sha256").update(raw).digest("hex");
      await sql`insert into bench_bare_events (body_sha256, body) values (${sha}, ${raw}) on conflict do nothing`;
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    } catch {
      res.writeHead(503).end();
    }
  });
});

await sql`create table if not exists bench_bare_events (id bigserial primary key, body_sha256 text not null unique, body bytea not null, received_at timestamptz not null default now())`;
server.listen(port, "127.0.0.1", () => console.log("ready"));
process.on("SIGTERM", () => {
  server.close();
  void sql.end().then(() => process.exit(0));
});
