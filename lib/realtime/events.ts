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

/** What happened that a teammate may want to be alerted about (sound, desktop notification). */
export type ActivityKind = "new_conversation" | "customer_message" | "assigned" | "mention";

export type ActivityNotice = {
  numberId: string;
  conversationId: string;
  kind: ActivityKind;
  assigneeId: string | null;
  // Who caused it, so nobody is alerted about their own action.
  actorId: string | null;
  // The teammates a note names (kind "mention").
  mentionedIds?: string[];
};

/** `typing` writes a reply to the customer, `typing_note` a note for the team. */
export type PresenceState = "viewing" | "typing" | "typing_note" | "left";

/** One browser tab's presence in a conversation; `sessionId` tells two tabs of one person apart. */
export type PresenceNotice = {
  conversationId: string;
  sessionId: string;
  userId: string;
  name: string;
  state: PresenceState;
};

export interface ServerToClientEvents {
  "conversation:changed": (notice: ChangeNotice) => void;
  "conversation:activity": (notice: ActivityNotice) => void;
  "message:changed": (notice: ChangeNotice) => void;
  "number:changed": (notice: { numberId: string }) => void;
  "presence:changed": (notice: PresenceNotice) => void;
  // The user's numbers or role changed: refetch everything; rooms were already adjusted.
  "access:changed": () => void;
  // An admin created, changed or deleted a label (labels are shared by every number).
  "labels:changed": () => void;
  // Deactivated, or the password was changed or reset: the socket closes right after.
  "session:ended": () => void;
  /** Notices may have been lost (the sidecar's database connection dropped): refetch everything. */
  resync: () => void;
}

export type Ack = (result: { ok: true } | { ok: false; error: string }) => void;

export interface ClientToServerEvents {
  "conversation:watch": (conversationId: string, ack: Ack) => void;
  "conversation:unwatch": (conversationId: string) => void;
  "conversation:typing": (input: { conversationId: string; isTyping: boolean; isNote?: boolean }, ack?: Ack) => void;
}

/** The PostgreSQL channel that carries database change notices to every sidecar. */
export const NOTIFY_CHANNEL = "tandem_changes";

export type DbNotice =
  | { type: "message"; numberId: string; conversationId: string; messageId: string }
  | { type: "conversation"; numberId: string; conversationId: string }
  | { type: "number"; numberId: string }
  | ({ type: "activity" } & ActivityNotice)
  // A user's grants, role, activity or password changed: every sidecar re-checks their sockets.
  | { type: "access"; userId: string }
  | { type: "labels" }
  // Presence goes through PostgreSQL too, so viewers on different sidecar instances see each other.
  // Every instance answers a newcomer's first notice with its own viewers of that conversation.
  | ({ type: "presence"; numberId: string; isNewcomer?: boolean } & PresenceNotice);

export const numberRoom = (id: string) => `number:${id}`;
export const conversationRoom = (id: string) => `conversation:${id}`;
