import { createServer } from "node:http";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import type { Database, Sql } from "@/db/client";
import { findConversation, listConversationsByIds } from "@/db/queries/conversations";
import { listThreadMessagesByIds } from "@/db/queries/messages";
import { listNumberIdsForUser } from "@/db/queries/numbers";
import { users } from "@/db/schema";
import type { ConversationDto, MessageDto } from "@/lib/client/types";
import {
  type ClientToServerEvents,
  conversationRoom,
  type DbNotice,
  NOTIFY_CHANNEL,
  numberRoom,
  type PresenceState,
  type ServerToClientEvents,
} from "@/lib/realtime/events";
import { notifyChange } from "@/lib/realtime/notify";
import { verifyRealtimeToken } from "@/lib/realtime/token";
import { withWindow } from "@/lib/services/conversations/list-conversations";

type SocketData = {
  userId: string;
  role: "admin" | "agent";
  name: string;
  sessionVersion: number;
  numberIds: Set<string>;
  // Watched conversation -> its number, so losing a number also leaves its conversations.
  watching: Map<string, string>;
};
type TandemSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const conversationIdSchema = z.string().uuid();
const typingSchema = z.object({ conversationId: z.string().uuid(), isTyping: z.boolean(), isNote: z.boolean().optional() });

/**
 * The realtime sidecar: authenticates sockets with the short-lived token minted by the web app,
 * joins them to the rooms of the numbers they may see, and relays PostgreSQL notifications. Each
 * instance LISTENs itself, so several instances need no shared broker. Access changes (grants,
 * revokes, role changes, deactivation, password resets) are re-checked on every open socket of the
 * user as soon as they are announced.
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
  // This instance's sockets per user: an access notice re-checks exactly these.
  const socketsByUser = new Map<string, Set<TandemSocket>>();

  const findUser = async (userId: string) => {
    const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
    return user ?? null;
  };

  io.use(async (socket, next) => {
    try {
      const token = socket.handshake.auth?.token;
      if (typeof token !== "string") throw new Error("missing token");
      const { userId, sessionVersion } = await verifyRealtimeToken(token, deps.secret);
      const user = await findUser(userId);
      if (!user?.isActive || user.sessionVersion !== sessionVersion) throw new Error("inactive user or ended session");
      const numberIds = await listNumberIdsForUser(deps.db, { userId, role: user.role });
      socket.data = {
        userId,
        role: user.role,
        name: user.name,
        sessionVersion,
        numberIds: new Set(numberIds),
        watching: new Map(),
      };
      next();
    } catch {
      next(new Error("unauthorized"));
    }
  });

  const announce = (socket: TandemSocket, conversationId: string, state: PresenceState, isNewcomer = false) => {
    const numberId = socket.data.watching.get(conversationId);
    if (!numberId) return Promise.resolve();
    const { userId, name } = socket.data;
    return notifyChange(deps.db, {
      type: "presence",
      numberId,
      conversationId,
      sessionId: socket.id,
      userId,
      name,
      state,
      isNewcomer,
    }).catch((error) => deps.log?.error({ err: error }, "presence notify failed"));
  };

  const unwatch = (socket: TandemSocket, conversationId: string) => {
    if (!socket.data.watching.has(conversationId)) return;
    void announce(socket, conversationId, "left");
    socket.data.watching.delete(conversationId);
    socket.leave(conversationRoom(conversationId));
  };

  io.on("connection", (socket) => {
    for (const id of socket.data.numberIds) socket.join(numberRoom(id));
    const own = socketsByUser.get(socket.data.userId) ?? new Set();
    own.add(socket);
    socketsByUser.set(socket.data.userId, own);

    socket.on("conversation:watch", async (conversationId, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      try {
        const parsed = conversationIdSchema.safeParse(conversationId);
        const conversation = parsed.success ? await findConversation(deps.db, parsed.data) : null;
        if (!conversation || !socket.data.numberIds.has(conversation.numberId)) {
          reply({ ok: false, error: "NOT_FOUND" });
          return;
        }
        const isNew = !socket.data.watching.has(conversation.id);
        socket.data.watching.set(conversation.id, conversation.numberId);
        socket.join(conversationRoom(conversation.id));
        if (isNew) await announce(socket, conversation.id, "viewing", true);
        reply({ ok: true });
      } catch {
        reply({ ok: false, error: "INTERNAL" });
      }
    });
    socket.on("conversation:unwatch", (conversationId) => {
      if (typeof conversationId === "string") unwatch(socket, conversationId);
    });
    socket.on("conversation:typing", async (input, ack) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const parsed = typingSchema.safeParse(input);
      // Only a conversation this socket was allowed to watch: typing is presence, and presence is scoped.
      if (!parsed.success || !socket.data.watching.has(parsed.data.conversationId)) {
        reply({ ok: false, error: parsed.success ? "NOT_FOUND" : "VALIDATION" });
        return;
      }
      const { conversationId, isTyping, isNote } = parsed.data;
      await announce(socket, conversationId, isTyping ? (isNote ? "typing_note" : "typing") : "viewing");
      reply({ ok: true });
    });
    socket.on("disconnecting", () => {
      for (const conversationId of [...socket.data.watching.keys()]) unwatch(socket, conversationId);
    });
    socket.on("disconnect", () => {
      own.delete(socket);
      if (own.size === 0 && socketsByUser.get(socket.data.userId) === own) socketsByUser.delete(socket.data.userId);
    });
  });

  /** Re-reads the user and applies the result to each of their sockets on this instance. */
  async function applyAccess(userId: string) {
    const sockets = socketsByUser.get(userId);
    if (!sockets?.size) return;
    const user = await findUser(userId);
    const numberIds = user?.isActive ? new Set(await listNumberIdsForUser(deps.db, { userId, role: user.role })) : null;
    for (const socket of sockets) {
      if (!user || !numberIds || user.sessionVersion !== socket.data.sessionVersion) {
        socket.emit("session:ended");
        socket.disconnect(true);
        continue;
      }
      for (const id of socket.data.numberIds) if (!numberIds.has(id)) socket.leave(numberRoom(id));
      for (const [conversationId, numberId] of socket.data.watching) {
        if (!numberIds.has(numberId)) unwatch(socket, conversationId);
      }
      for (const id of numberIds) if (!socket.data.numberIds.has(id)) socket.join(numberRoom(id));
      socket.data.numberIds = numberIds;
      socket.data.role = user.role;
      socket.data.name = user.name;
      socket.emit("access:changed");
    }
  }

  /** Admins see every number, including one connected after their socket opened. */
  function joinAdmins(numberId: string) {
    for (const sockets of socketsByUser.values()) {
      for (const socket of sockets) {
        if (socket.data.role !== "admin" || socket.data.numberIds.has(numberId)) continue;
        socket.data.numberIds.add(numberId);
        socket.join(numberRoom(numberId));
      }
    }
  }

  /** A newcomer in a conversation learns who was already there: each instance answers for its sockets. */
  async function answerNewcomer(notice: Extract<DbNotice, { type: "presence" }>) {
    const room = io.sockets.adapter.rooms.get(conversationRoom(notice.conversationId));
    for (const socketId of room ?? []) {
      const socket = io.sockets.sockets.get(socketId);
      if (socket && socket.id !== notice.sessionId) await announce(socket, notice.conversationId, "viewing");
    }
  }

  function relay(notice: DbNotice) {
    switch (notice.type) {
      case "number":
        joinAdmins(notice.numberId);
        io.to(numberRoom(notice.numberId)).emit("number:changed", { numberId: notice.numberId });
        return;
      case "labels":
        io.emit("labels:changed");
        return;
      case "access":
        void applyAccess(notice.userId).catch((error) => deps.log?.error({ err: error }, "access re-check failed"));
        return;
      case "activity": {
        const { type: _, ...activity } = notice;
        io.to(numberRoom(notice.numberId)).emit("conversation:activity", activity);
        return;
      }
      case "presence": {
        const { conversationId, sessionId, userId, name, state } = notice;
        io.to(conversationRoom(conversationId)).emit("presence:changed", { conversationId, sessionId, userId, name, state });
        if (notice.isNewcomer) void answerNewcomer(notice);
        return;
      }
      default:
        relayChange(notice);
    }
  }

  const hasListeners = (room: string) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;

  type Change = Extract<DbNotice, { type: "message" | "conversation" }>;

  /** A read of notice content; a failed one leaves its notices bare (browsers then refetch). */
  async function readOrNone<T>(read: () => Promise<T[]>, what: string) {
    try {
      return await read();
    } catch (error) {
      deps.log?.warn({ err: error }, `notice ${what} not read; browsers will refetch`);
      return [];
    }
  }

  /**
   * Sends a run of notices' messages to their open threads, in order: one read for all of them (a
   * worker batch announces up to hundreds in one commit). Socket.IO serialises dates to ISO
   * strings, which is what the DTO types describe.
   */
  async function relayMessages(notices: Change[]) {
    const messageIds = notices.flatMap((n) =>
      n.type === "message" && hasListeners(conversationRoom(n.conversationId)) ? [n.messageId] : [],
    );
    // A deleted message's text is for admins only: its notice goes bare, and each browser
    // refetches through the API, which answers by role.
    const messages = new Map(
      (await readOrNone(() => listThreadMessagesByIds(deps.db, [...new Set(messageIds)]), "messages"))
        .filter((m) => !m.deletedAt)
        .map((m) => [m.id, m as unknown as MessageDto]),
    );
    for (const notice of notices) {
      if (notice.type !== "message") continue;
      io.to(conversationRoom(notice.conversationId)).emit("message:changed", {
        numberId: notice.numberId,
        conversationId: notice.conversationId,
        messageId: notice.messageId,
        message: messages.get(notice.messageId),
      });
    }
  }

  /**
   * Sends each conversation of these notices to its number's room once, as the list draws it, in
   * the order of each one's last notice: one read for all of them.
   */
  async function relayConversations(notices: Change[]) {
    const ids = [...new Set(notices.map((n) => n.conversationId))];
    const conversations = new Map(
      (await readOrNone(() => listConversationsByIds(deps.db, ids), "conversations")).map((c) => [
        c.id,
        withWindow(c) as unknown as ConversationDto,
      ]),
    );
    const lastOf = new Map(notices.map((n, i) => [n.conversationId, i]));
    for (const [i, notice] of notices.entries()) {
      if (lastOf.get(notice.conversationId) !== i) continue;
      io.to(numberRoom(notice.numberId)).emit("conversation:changed", {
        numberId: notice.numberId,
        conversationId: notice.conversationId,
        conversation: conversations.get(notice.conversationId),
      });
    }
  }

  // Notices are relayed in arrival order, a run at a time: those that arrive while a run's messages
  // are read form the next run, so under a stream of notices the reads stay few and never overtake.
  // The list's read (conversations with contacts and assignees, the slower one) follows on its own:
  // a run's conversations go out after its messages (the browser then finds the messages drawn when
  // the conversation says they exist), with those of every run whose messages went out meanwhile,
  // and the next run's messages are not held behind it.
  let gathering: Change[] | null = null;
  let messagesRelayed = Promise.resolve();
  let awaitingList: Change[] = [];
  let listReading = false;
  function relayChange(notice: Change) {
    if (!hasListeners(numberRoom(notice.numberId))) return;
    if (gathering) {
      gathering.push(notice);
      return;
    }
    const run: Change[] = [notice];
    gathering = run;
    messagesRelayed = messagesRelayed
      .then(async () => {
        if (gathering === run) gathering = null;
        await relayMessages(run);
        awaitingList.push(...run);
        void relayAwaitingConversations();
      })
      .catch((error) => deps.log?.error({ err: error }, "notices not relayed"));
  }

  /** One list read at a time, for every notice whose messages have gone out since the last one. */
  async function relayAwaitingConversations() {
    if (listReading) return;
    listReading = true;
    try {
      while (awaitingList.length > 0) {
        const notices = awaitingList;
        awaitingList = [];
        await relayConversations(notices);
      }
    } catch (error) {
      deps.log?.error({ err: error }, "conversation notices not relayed");
    } finally {
      listReading = false;
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
