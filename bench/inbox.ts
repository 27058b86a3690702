import type { Sql } from "@/db/client";
import { demoNumber } from "@/lib/demo";
import { seedInbox } from "../scripts/seed/seed-inbox";
import { round, summarize } from "./stats";
import type { CpuUsed } from "./system";

/** Signs in through next-auth's credentials flow and returns the cookie header of the session. */
async function signIn(baseUrl: string, admin: { email: string; password: string }) {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email: admin.email, password: admin.password, json: "true" }),
  });
  keep(res);
  if (![...cookies.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed (${res.status})`);
  return header();
}

/**
 * Inbox reads with a large seeded inbox (`conversations`, `messages`), over authenticated HTTP
 * against the production build: the list's first and second page, a thread's first page (the
 * 10,000-message thread among them) and searches for a name, a number and a phrase, each with the
 * CPU milliseconds per request of Tandem's processes and of PostgreSQL's backends (steadier than
 * the latency on a shared machine). The seed is skipped when the number already holds that many
 * messages (BENCH_REUSE_DATABASE=1).
 */
export async function runInboxReads(input: {
  baseUrl: string;
  sql: Sql;
  admin: { email: string; password: string };
  conversations: number;
  messages: number;
  requests: number;
  startCpuCount: () => Promise<() => Promise<CpuUsed>>;
}) {
  const { sql } = input;
  const [number] = await sql<{ id: string }[]>`select id from numbers where phone_number_id = ${demoNumber.phoneNumberId}`;
  if (!number) throw new Error("demo number missing");
  const [count] = await sql<{ n: number }[]>`select count(*)::int as n from messages where number_id = ${number.id}`;
  if ((count?.n ?? 0) < input.messages) {
    console.log(`seeding ${input.conversations} conversations and ${input.messages} messages…`);
    const t0 = Date.now();
    await seedInbox(sql, { numberId: number.id, conversations: input.conversations, messages: input.messages });
    console.log(`seeded in ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  // The signed-in admin holds 1% of the conversations ("Mine"), and a label marks 2% of them.
  const [me] = await sql<{ id: string }[]>`select id from users where email = ${input.admin.email}`;
  await sql`update conversations set assignee_id = ${me!.id}
    where number_id = ${number.id} and assignee_id is null and hashtext(id::text) % 100 = 0`;
  const [label] = await sql<{ id: string }[]>`
    insert into labels (name, color) values ('Bench', 'violet') on conflict (name) do update set color = excluded.color returning id`;
  await sql`insert into conversation_labels (conversation_id, label_id)
    select id, ${label!.id} from conversations where number_id = ${number.id} and hashtext(id::text) % 50 = 1
    on conflict do nothing`;
  await sql`analyze conversations`;
  await sql`analyze conversation_labels`;
  const [totals] = await sql<{ conversations: number; messages: number }[]>`
    select (select count(*)::int from conversations where number_id = ${number.id}) as conversations,
           (select count(*)::int from messages where number_id = ${number.id}) as messages`;

  const cookie = await signIn(input.baseUrl, input.admin);
  const get = async (path: string) => {
    const t0 = performance.now();
    const res = await fetch(`${input.baseUrl}${path}`, { headers: { cookie } });
    const body = (await res.json()) as Record<string, unknown>;
    const ms = performance.now() - t0;
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return { ms, body };
  };
  const list = (extra: Record<string, string> = {}) =>
    `/api/conversations?${new URLSearchParams({ numberId: number.id, view: "all", limit: "40", ...extra })}`;

  // Samples for the per-request variations: threads of every size, names and numbers that exist.
  const threads = await sql<{ id: string }[]>`
    (select conversation_id as id from messages where number_id = ${number.id}
      group by conversation_id order by count(*) desc limit 1)
    union all
    (select id from conversations where number_id = ${number.id} order by random() limit ${input.requests})`;
  const people = await sql<{ name: string; wa_id: string }[]>`
    select coalesce(profile_name, custom_name, address_book_name) as name, wa_id from contacts
    where number_id = ${number.id} and coalesce(profile_name, custom_name, address_book_name) is not null
    order by random() limit ${input.requests}`;
  const phrases = await sql<{ body: string }[]>`
    select body from messages where number_id = ${number.id} and body like '%order #%' and deleted_at is null
    order by random() limit ${input.requests}`;
  const orderPhrase = (body: string) => `"order ${body.match(/#(\d+)/)?.[1] ?? ""}"`;

  const cases: { name: string; path: (i: number) => string }[] = [
    { name: "list, first page (status open)", path: () => list({ status: "open" }) },
    { name: "list, first page (all statuses)", path: () => list() },
    { name: "list, Mine (status open)", path: () => list({ status: "open", view: "mine" }) },
    { name: "list, a label (status open)", path: () => list({ status: "open", labelId: label!.id }) },
    { name: "thread, first page", path: (i) => `/api/conversations/${threads[i % threads.length]!.id}/messages?limit=50` },
    { name: "thread, first page of the longest", path: () => `/api/conversations/${threads[0]!.id}/messages?limit=50` },
    { name: "search, a name", path: (i) => list({ search: people[i % people.length]!.name }) },
    { name: "search, a number prefix", path: (i) => list({ search: `+${people[i % people.length]!.wa_id.slice(0, 7)}` }) },
    { name: "search, a phrase", path: (i) => list({ search: orderPhrase(phrases[i % phrases.length]!.body) }) },
    { name: "search, a common word", path: () => list({ search: "invoice" }) },
  ];
  const first = await get(list({ status: "open" }));
  const cursor = first.body.nextCursor as string;
  cases.splice(2, 0, { name: "list, second page", path: () => list({ status: "open", cursor }) });

  const rows = [];
  for (const c of cases) {
    for (let i = 0; i < 5; i++) await get(c.path(i + 1000));
    const times: number[] = [];
    const cpuUsed = await input.startCpuCount();
    for (let i = 0; i < input.requests; i++) times.push((await get(c.path(i))).ms);
    const used = await cpuUsed();
    const perRequest = (seconds: number) => round((seconds / input.requests) * 1000, 2);
    const s = summarize(times);
    rows.push({
      request: c.name,
      requests: s.count,
      p50Ms: round(s.p50),
      p95Ms: round(s.p95),
      maxMs: round(s.max),
      tandemCpuMs: perRequest(used.tandem),
      postgresCpuMs: perRequest(used.postgres),
    });
  }
  return { conversations: totals?.conversations ?? 0, messages: totals?.messages ?? 0, reads: rows };
}
