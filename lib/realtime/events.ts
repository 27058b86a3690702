/**
 * The typed contract between the realtime sidecar and the browser. Sockets only notify; the
 * browser refetches through the JSON API (react-query), so payloads carry ids, never content.
 */
export type ChangeNotice = {
  numberId: string;
  conversationId: string;
  messageId?: string;
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
