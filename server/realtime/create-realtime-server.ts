import { createServer } from "node:http";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import { Server } from "socket.io";
import type { Database, Sql } from "@/db/client";
import { findConversation } from "@/db/queries/conversations";
import { findThreadMessage } from "@/db/queries/messages";
import { listNumberIdsForUser } from "@/db/queries/numbers";
import { users } from "@/db/schema";
import type { ConversationDto, MessageDto } from "@/lib/client/types";
import {
  type ClientToServerEvents,
  conversationRoom,
  type DbNotice,
  NOTIFY_CHANNEL,
  numberRoom,
  type ServerToClientEvents,
} from "@/lib/realtime/events";
import { verifyRealtimeToken } from "@/lib/realtime/token";
import { withWindow } from "@/lib/services/conversations/list-conversations";

type SocketData = { userId: string; role: "admin" | "agent"; numberIds: Set<string> };

/**
 * The realtime sidecar: authenticates sockets with the short-lived token minted by the web app,
 * joins them to the rooms of the numbers they may see, and relays PostgreSQL notifications. Each
 * instance LISTENs itself, so several instances need no shared broker.
 */
export function createRealtimeServer(deps: {
  db: Database;
  sql: Sql;
  secret: string;
  corsOrigin: string | string[];
  log?: Logger;
}) {
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

  // Numbers this instance has announced; a number connected since admins' sockets joined is new to them.
  const knownNumbers = new Set<string>();
  function admitAdmins(numberId: string) {
    if (knownNumbers.has(numberId)) return;
    knownNumbers.add(numberId);
    for (const socket of io.sockets.sockets.values()) {
      if (socket.data.role !== "admin" || socket.data.numberIds.has(numberId)) continue;
      socket.data.numberIds.add(numberId);
      socket.join(numberRoom(numberId));
    }
  }

  const hasListeners = (room: string) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;

  /** Reads what the list and the open thread draw; a failed read leaves the notice bare. */
  async function contentOf(notice: Extract<DbNotice, { conversationId: string }>) {
    const messageId = notice.type === "message" ? notice.messageId : undefined;
    const wantsMessage = messageId !== undefined && hasListeners(conversationRoom(notice.conversationId));
    try {
      const [conversation, message] = await Promise.all([
        findConversation(deps.db, notice.conversationId),
        wantsMessage ? findThreadMessage(deps.db, messageId) : null,
      ]);
      // Socket.IO serialises dates to ISO strings, which is what the DTO types describe. A deleted
      // message's text is for admins only: its notice goes bare, and each browser refetches
      // through the API, which answers by role.
      return {
        conversation: conversation ? (withWindow(conversation) as unknown as ConversationDto) : undefined,
        message: message && !message.deletedAt ? (message as unknown as MessageDto) : undefined,
      };
    } catch (error) {
      deps.log?.warn({ err: error }, "notice content not read; browsers will refetch");
      return {};
    }
  }

  // Notices of one conversation are relayed in order, so a slower read never overtakes a newer one.
  const queues = new Map<string, Promise<void>>();
  function relay(notice: DbNotice) {
    if (notice.type === "number") {
      // Admins see every number, including one connected after their socket did.
      admitAdmins(notice.numberId);
      io.to(numberRoom(notice.numberId)).emit("number:changed", { numberId: notice.numberId });
      return;
    }
    if (!hasListeners(numberRoom(notice.numberId))) return;
    const previous = queues.get(notice.conversationId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const content = await contentOf(notice);
      const payload = { numberId: notice.numberId, conversationId: notice.conversationId };
      // The message first: the browser then finds it drawn when the conversation's notice arrives.
      if (notice.type === "message") {
        io.to(conversationRoom(notice.conversationId)).emit("message:changed", {
          ...payload,
          messageId: notice.messageId,
          message: content.message,
        });
      }
      io.to(numberRoom(notice.numberId)).emit("conversation:changed", { ...payload, conversation: content.conversation });
    });
    queues.set(notice.conversationId, next);
    void next.finally(() => {
      if (queues.get(notice.conversationId) === next) queues.delete(notice.conversationId);
    });
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
            deps.log?.error({ err: error }, "bad notification");
          }
        },
        () => {
          // postgres.js LISTENs again after a dropped connection; what was notified meanwhile is lost.
          if (listening) {
            deps.log?.warn("database notifications resumed; sockets told to resync");
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
