import type { ConversationDto, MessageDto } from "@/lib/client/types";

/**
 * The typed contract between the realtime sidecar and the browser. A notice carries the ids and,
 * when the sidecar could read them, the conversation as the list shows it and the message as the
 * thread shows it, so the browser draws a change without a round trip. Rooms are the access check:
 * number rooms only hold sockets allowed to see that number. Without the content (a read failed),
 * or after a reconnect, the browser refetches.
 */
export type ChangeNotice = {
  numberId: string;
  conversationId: string;
  messageId?: string;
  conversation?: ConversationDto;
  message?: MessageDto;
};

export interface ServerToClientEvents {
  "conversation:changed": (notice: ChangeNotice) => void;
  "message:changed": (notice: ChangeNotice) => void;
  "number:changed": (notice: { numberId: string }) => void;
  /** Notices may have been lost (the sidecar's database connection dropped): refetch everything. */
  resync: () => void;
}

export interface ClientToServerEvents {
  "conversation:watch": (conversationId: string, ack: (result: { ok: true } | { ok: false; error: string }) => void) => void;
  "conversation:unwatch": (conversationId: string) => void;
}

/** The PostgreSQL channel that carries database change notices to every sidecar. */
export const NOTIFY_CHANNEL = "tandem_changes";

export type DbNotice =
  | { type: "message"; numberId: string; conversationId: string; messageId: string }
  | { type: "conversation"; numberId: string; conversationId: string }
  | { type: "number"; numberId: string };

export const numberRoom = (id: string) => `number:${id}`;
export const conversationRoom = (id: string) => `conversation:${id}`;
