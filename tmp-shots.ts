import { chromium } from "@playwright/test";
import postgres from "postgres";
import { hashPassword } from "@/lib/services/users/passwords";

const base = "http://127.0.0.1:6600";
const sql = postgres("postgres://postgres@127.0.0.1:5432/tandem_i9b_bench");
const [number] = await sql`select id from numbers limit 1`;
await sql`insert into users (email, name, password_hash, role) values ('agent@example.com', 'Aaron Agent', ${await hashPassword("agent-password-123")}, 'agent') on conflict (email) do nothing`;
const [agent] = await sql`select id from users where email = 'agent@example.com'`;
await sql`insert into number_access (user_id, number_id) values (${agent!.id}, ${number!.id}) on conflict do nothing`;
// A conversation whose newest message a customer deleted, and one with unread messages.
const [deleted] = await sql`select m.conversation_id as id from messages m join conversations c on c.id = m.conversation_id
  where m.deleted_at is not null and m.direction = 'inbound' order by c.last_message_at desc limit 1`;
const [unread] = await sql`select id from conversations where unread_count >= 3 order by last_message_at desc limit 1`;
await sql.end();

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
async function signIn(email: string, password: string, viewport = { width: 1440, height: 900 }) {
  const page = await browser.newPage({ viewport });
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/inbox/);
  return page;
}
const admin = await signIn("bench@tandem.local", "bench-password-123");
await admin.getByRole("searchbox", { name: "Search conversations" }).waitFor();
await admin.screenshot({ path: "/tmp/shots/i9b/inbox-list.png" });
await admin.keyboard.press("/");
await admin.keyboard.type('"arrived damaged"');
await admin.waitForTimeout(2500);
await admin.screenshot({ path: "/tmp/shots/i9b/search-phrase.png" });
await admin.getByRole("searchbox", { name: "Search conversations" }).fill("Giulia");
await admin.waitForTimeout(2500);
await admin.screenshot({ path: "/tmp/shots/i9b/search-name.png" });
await admin.goto(`${base}/inbox?c=${unread!.id}&status=all`);
await admin.waitForTimeout(2500);
await admin.screenshot({ path: "/tmp/shots/i9b/thread-unread.png" });
await admin.goto(`${base}/inbox?c=${deleted!.id}&status=all`);
await admin.waitForTimeout(2500);
const show = admin.getByRole("button", { name: "Show original" }).first();
if (await show.isVisible()) await show.click();
await admin.screenshot({ path: "/tmp/shots/i9b/deleted-admin.png" });
await admin.goto(`${base}/no-such-page`);
await admin.screenshot({ path: "/tmp/shots/i9b/not-found.png" });

const agentPage = await signIn("agent@example.com", "agent-password-123");
await agentPage.goto(`${base}/inbox?c=${deleted!.id}&status=all`);
await agentPage.waitForTimeout(2500);
await agentPage.screenshot({ path: "/tmp/shots/i9b/deleted-agent.png" });

const phone = await signIn("bench@tandem.local", "bench-password-123", { width: 390, height: 844 });
await phone.getByRole("searchbox", { name: "Search conversations" }).fill("invoice");
await phone.waitForTimeout(2500);
await phone.screenshot({ path: "/tmp/shots/i9b/phone-search.png" });
await browser.close();
