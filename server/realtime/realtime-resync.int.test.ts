import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { createUser } from "@/db/testing/factories";
import { mintRealtimeToken } from "@/lib/realtime/token";
import { createRealtimeServer } from "./create-realtime-server";

const SECRET = "realtime-resync-test-secret-0123456789";
const application = `tandem-realtime-test-${randomUUID().slice(0, 8)}`;
// Its own pool, named, so the test can find and cut this server's LISTEN connection.
const { db, sql } = createDb(process.env.DATABASE_URL!, { max: 3, connection: { application_name: application } });
const server = createRealtimeServer({ db, sql, secret: SECRET, corsOrigin: "*" });
let socket: Socket | undefined;

afterAll(async () => {
  socket?.disconnect();
  await server.close();
  await sql.end({ timeout: 5 });
});

describe("the realtime sidecar", () => {
  it("tells every socket to resync after its LISTEN connection dropped and came back", async () => {
    const { port } = await server.listen(0, "127.0.0.1");
    const user = await createUser(db);
    socket = connect(`http://127.0.0.1:${port}`, {
      auth: { token: await mintRealtimeToken({ userId: user.id, sessionVersion: user.sessionVersion, secret: SECRET }) },
      transports: ["websocket"],
    });
    await new Promise<void>((resolve, reject) => {
      socket!.once("connect", resolve);
      socket!.once("connect_error", reject);
    });
    const resynced = new Promise<void>((resolve) => socket!.once("resync", () => resolve()));

    // Notices sent while the connection is gone are lost: the sockets must refetch.
    const cut = await sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = ${application} and query ilike 'listen%'`;
    expect(cut.length).toBe(1);
    await resynced;
  });
});
