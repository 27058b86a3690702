import { createServer } from "node:http";
import { eq } from "drizzle-orm";
import { Server } from "socket.io";
import type { Database, Sql } from "@/db/client";
import { findConversation } from "@/db/queries/conversations";
import { listNumberIdsForUser } from "@/db/queries/numbers";
import { users } from "@/db/schema";
import {
  type ClientToServerEvents,
  conversationRoom,
  type DbNotice,
  NOTIFY_CHANNEL,
  numberRoom,
  type ServerToClientEvents,
} from "@/lib/realtime/events";
import { verifyRealtimeToken } from "@/lib/realtime/token";

type SocketData = { userId: string; role: "admin" | "agent"; numberIds: Set<string> };

/**
 * The realtime sidecar: authenticates sockets with the short-lived token minted by the web app,
 * joins them to the rooms of the numbers they may see, and relays PostgreSQL notifications. Each
 * instance LISTENs itself, so several instances need no shared broker.
 */
export function createRealtimeServer(deps: { db: Database; sql: Sql; secret: string; corsOrigin: string | string[] }) {
  const http = createServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    res.writeHead(404).end();
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(http, {
    cors: { origin: deps.corsOrigin, credentials: true },
    serveClient: false,
  });

  io.use(async (socket, next) => {
    try {
      const token = socket.handshake.auth?.token;
      if (typeof token !== "string") throw new Error("missing token");
      const { userId } = await verifyRealtimeToken(token, deps.secret);
      const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
      if (!user?.isActive) throw new Error("inactive user");
      const numberIds = await listNumberIdsForUser(deps.db, { userId, role: user.role });
      socket.data = { userId, role: user.role, numberIds: new Set(numberIds) };
      next();
    } catch {
      next(new Error("unauthorized"));
    }
  });

  io.on("connection", (socket) => {
    for (const id of socket.data.numberIds) socket.join(numberRoom(id));

    socket.on("conversation:watch", async (conversationId, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      try {
        const conversation =
          typeof conversationId === "string" ? await findConversation(deps.db, conversationId).catch(() => null) : null;
        if (!conversation || !socket.data.numberIds.has(conversation.numberId)) {
          reply({ ok: false, error: "NOT_FOUND" });
          return;
        }
        socket.join(conversationRoom(conversation.id));
        reply({ ok: true });
      } catch {
        reply({ ok: false, error: "INTERNAL" });
      }
    });
    socket.on("conversation:unwatch", (conversationId) => {
      if (typeof conversationId === "string") socket.leave(conversationRoom(conversationId));
    });
  });

  function relay(notice: DbNotice) {
    if (notice.type === "number") {
      io.to(numberRoom(notice.numberId)).emit("number:changed", { numberId: notice.numberId });
      return;
    }
    const payload = { numberId: notice.numberId, conversationId: notice.conversationId };
    io.to(numberRoom(notice.numberId)).emit("conversation:changed", payload);
    if (notice.type === "message") {
      io.to(conversationRoom(notice.conversationId)).emit("message:changed", { ...payload, messageId: notice.messageId });
    }
  }

  return {
    io,
    http,
    async listen(port: number, host: string) {
      let listening = false;
      await deps.sql.listen(
        NOTIFY_CHANNEL,
        (raw) => {
          try {
            relay(JSON.parse(raw) as DbNotice);
          } catch (error) {
            console.error(JSON.stringify({ level: "error", message: "bad notification", error: String(error) }));
          }
        },
        () => {
          // postgres.js LISTENs again after a dropped connection; what was notified meanwhile is lost.
          if (listening) {
            console.log(JSON.stringify({ level: "warn", message: "database notifications resumed; sockets told to resync" }));
            io.emit("resync");
          }
          listening = true;
        },
      );
      await new Promise<void>((resolve) => http.listen(port, host, resolve));
      const address = http.address();
      return { port: typeof address === "object" && address ? address.port : port };
    },
    async close() {
      io.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
