import { eq, sql as raw } from "drizzle-orm";
import { createDb } from "@/db/client";
import { mediaAssets } from "@/db/schema";
import { e2e, expect, launcherDatabaseUrl, test, unique } from "./fixtures";

/**
 * Media downloads as agents and admins see them: a photo whose download failed for a passing reason
 * says "retrying" with the next attempt's time; a number's failed downloads are retried from
 * Settings > Numbers and land in the thread.
 */
test("a photo whose download is retrying says so, and an admin retries a number's failed downloads", async ({
  agent,
  request,
}) => {
  test.setTimeout(120_000);
  const waId = `1654${String(Date.now()).slice(-7)}`;
  const name = unique("Media Customer");
  const sandbox = async (path: string, data: unknown) => {
    const response = await request.post(`${e2e.sandboxURL}${path}`, { data });
    expect(response.ok(), path).toBe(true);
    return response.json();
  };
  await sandbox("/phone/api/messages", { waId, name, text: unique("Here is the photo") });
  // Graph's media endpoint is down for the first attempt: the download is retried 30 s later.
  await sandbox("/sandbox/api/media-faults", { target: "info", status: 503, count: 1 });
  const { mediaId } = (await sandbox("/phone/api/messages/photo", { waId, side: "customer", caption: "The red one" })) as {
    mediaId: string;
  };

  await agent
    .getByRole("link", { name: new RegExp(name) })
    .first()
    .click();
  const thread = agent.getByRole("log", { name: "Messages" });
  await expect(thread.getByText(/Download failed, retrying at \d\d:\d\d/)).toBeVisible();
  const conversationUrl = agent.url();

  // After WhatsApp's 7 days of retries the download is failed; the admin queues it again.
  const { db, sql } = createDb(launcherDatabaseUrl(), { max: 1 });
  try {
    const [asset] = await db
      .update(mediaAssets)
      .set({ state: "failed", nextAttemptAt: null, error: "Gave up" })
      .where(eq(mediaAssets.metaMediaId, mediaId))
      .returning({ id: mediaAssets.id });
    await db.execute(raw`select graphile_worker.remove_job(${`media:${asset!.id}`})`);
  } finally {
    await sql.end();
  }
  await agent.goto("/settings/numbers");
  const downloads = agent.getByRole("region", { name: "Media downloads" }).first();
  await expect(downloads).toContainText(/1 file could not be downloaded from WhatsApp/);
  await downloads.getByRole("button", { name: "Retry failed downloads" }).click();
  await expect(downloads).toContainText("1 download queued again.");

  await agent.goto(conversationUrl);
  // The worker downloads it at once (the thread may take a while to load on a busy machine).
  await expect(thread.getByRole("img", { name: "Photo: The red one" })).toBeVisible({ timeout: 30_000 });
});
