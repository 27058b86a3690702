import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { listCannedReplies } from "@/lib/services/canned-replies/canned-replies";
import type { listContactsForUser } from "@/lib/services/contacts/list-contacts";
import type { listMentions } from "@/lib/services/notes/list-mentions";
import type { listSendableTemplates } from "@/lib/services/templates/list-templates";
import type { TemplateDefinition } from "@/lib/whatsapp/templates";
import { apiFetch, withQuery } from "./api";
import type {
  ConversationDto,
  ConversationPage,
  ConversationStatus,
  ConversationView,
  InviteDto,
  Jsonify,
  LabelColor,
  LabelDto,
  MessageDto,
  MessagePage,
  NotificationSettingsDto,
  NumberDto,
  NumberOverviewDto,
  TeamDto,
  TeamMemberDto,
  UserDto,
  WebhookEventDto,
  WebhookEventPayloadDto,
  WebhookEventStatus,
} from "./types";

export type ConversationFilters = {
  numberId: string | null;
  view: ConversationView;
  status: ConversationStatus | null;
  /** Conversations carrying this label; every conversation when absent. */
  labelId?: string | null;
  /** Conversations whose window closes within 2 hours, or is closed; every window when absent. */
  window?: "closing" | "closed" | null;
  search: string;
};

/** The key of an agent's change to a conversation (status, assignee, labels) while it is saved. */
export const conversationUpdateKey = (conversationId: string) => ["conversation-update", conversationId] as const;

/**
 * Every query key of the inbox. Prefixes are shared on purpose: invalidating `conversationLists`
 * refreshes every list whatever its filters.
 */
export const queryKeys = {
  numbers: ["numbers"] as const,
  // Under "numbers", so a number's realtime notice refreshes the admin's view too.
  numberOverview: ["numbers", "overview"] as const,
  health: ["health"] as const,
  conversations: ["conversations"] as const,
  conversationLists: ["conversations", "list"] as const,
  conversationList: (filters: ConversationFilters) => ["conversations", "list", filters] as const,
  conversation: (id: string) => ["conversations", "detail", id] as const,
  messages: (id: string) => ["conversations", "messages", id] as const,
  // Not under the lists' prefix: list updaters expect pages. The realtime hook recounts with the lists.
  unreadCounts: ["conversations", "unread-counts"] as const,
  users: ["users"] as const,
  labels: ["labels"] as const,
  notificationSettings: ["me", "notifications"] as const,
  mentions: ["me", "mentions"] as const,
  numberMembers: (numberId: string) => ["numbers", numberId, "members"] as const,
  cannedReplies: (numberId: string) => ["numbers", numberId, "canned-replies"] as const,
  team: ["admin", "team"] as const,
  templates: (numberId: string) => ["numbers", numberId, "templates"] as const,
  webhookEvents: ["admin", "webhook-events"] as const,
  webhookEventList: (status: WebhookEventStatus) => ["admin", "webhook-events", status] as const,
  webhookEventPayload: (eventId: number) => ["admin", "webhook-event-payload", eventId] as const,
};

export const numbersQuery = () =>
  queryOptions({
    queryKey: queryKeys.numbers,
    queryFn: ({ signal }) => apiFetch<{ numbers: NumberDto[] }>("/api/numbers", { signal }).then((r) => r.numbers),
    staleTime: 60_000,
  });

export const numberOverviewQuery = () =>
  queryOptions({
    queryKey: queryKeys.numberOverview,
    queryFn: ({ signal }) =>
      apiFetch<{ numbers: NumberOverviewDto[]; historyStaleAfterMs: number }>("/api/admin/numbers", { signal }),
  });

export type HealthCheck = { state: string; [key: string]: unknown };

/** `/api/health` answers 503 with the same body when something is down; both are shown. */
export const healthQuery = () =>
  queryOptions({
    queryKey: queryKeys.health,
    queryFn: async ({ signal }) => {
      const response = await fetch("/api/health", { signal, cache: "no-store" });
      return (await response.json()) as { status: "ok" | "degraded"; checks: Record<string, HealthCheck> };
    },
    refetchInterval: 30_000,
  });

/** Rows per page of a conversation list; a live list keeps to what its pages hold (realtime-patches). */
export const CONVERSATION_PAGE_SIZE = 40;

export const conversationListQuery = (filters: ConversationFilters) =>
  infiniteQueryOptions({
    queryKey: queryKeys.conversationList(filters),
    queryFn: ({ pageParam, signal }) =>
      apiFetch<ConversationPage>(
        withQuery("/api/conversations", {
          numberId: filters.numberId,
          view: filters.view,
          status: filters.status,
          labelId: filters.labelId,
          window: filters.window,
          search: filters.search.trim(),
          cursor: pageParam,
          limit: CONVERSATION_PAGE_SIZE,
        }),
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

export const conversationQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.conversation(id),
    queryFn: ({ signal }) =>
      apiFetch<{ conversation: ConversationDto }>(`/api/conversations/${id}`, { signal }).then((r) => r.conversation),
  });

/** One page of a thread, newest first: the newest messages, or those before a cursor. */
export const fetchMessagePage = (conversationId: string, before: string | null, signal?: AbortSignal) =>
  apiFetch<MessagePage>(withQuery(`/api/conversations/${conversationId}/messages`, { before, limit: 50 }), { signal });

/** Pages come newest first; the thread reverses them for display. */
export const messagesQuery = (conversationId: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.messages(conversationId),
    queryFn: ({ pageParam, signal }) => fetchMessagePage(conversationId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

export function sendTextMessage(conversationId: string, input: { clientKey: string; text: string; replyToWamid?: string }) {
  return apiFetch<{ messageId: string; duplicate: boolean }>(`/api/conversations/${conversationId}/messages`, {
    method: "POST",
    body: input,
  });
}

export type TemplateDto = Omit<Jsonify<Awaited<ReturnType<typeof listSendableTemplates>>[number]>, "definition"> & {
  definition: TemplateDefinition;
};

/** Approved templates an agent may send from a number (the first call lists them from Meta). */
export const templatesQuery = (numberId: string) =>
  queryOptions({
    queryKey: queryKeys.templates(numberId),
    queryFn: ({ signal }) =>
      apiFetch<{ templates: TemplateDto[] }>(`/api/numbers/${numberId}/templates`, { signal }).then((r) => r.templates),
    staleTime: 5 * 60_000,
  });

export function syncTemplates(numberId: string) {
  return apiFetch<{ count: number }>(`/api/numbers/${numberId}/templates/sync`, { method: "POST" });
}

export function sendTemplateMessage(
  conversationId: string,
  input: { clientKey: string; templateId: string; values: Record<string, string> },
) {
  return apiFetch<{ messageId: string; duplicate: boolean }>(`/api/conversations/${conversationId}/templates`, {
    method: "POST",
    body: input,
  });
}

/** A failed message that never reached WhatsApp: send it again, or drop it. */
export function settleFailedMessage(messageId: string, action: "retry" | "discard") {
  return apiFetch<{ messageId: string; status: string; message: MessageDto | null }>(
    action === "retry" ? `/api/messages/${messageId}/retry` : `/api/messages/${messageId}`,
    { method: action === "retry" ? "POST" : "DELETE" },
  );
}

/** The business's reaction to a message; an empty emoji removes it. */
export function sendReaction(messageId: string, input: { clientKey: string; emoji: string }) {
  return apiFetch<{ messageId: string; duplicate: boolean; target: MessageDto | null }>(`/api/messages/${messageId}/reaction`, {
    method: "POST",
    body: input,
  });
}

export type ContactListItem = Jsonify<Awaited<ReturnType<typeof listContactsForUser>>[number]>;

export const contactsQuery = (params: { search: string; numberId: string | null }) =>
  queryOptions({
    queryKey: ["contacts", params] as const,
    queryFn: ({ signal }) =>
      apiFetch<{ contacts: ContactListItem[] }>(
        withQuery("/api/contacts", { search: params.search.trim(), numberId: params.numberId }),
        {
          signal,
        },
      ).then((r) => r.contacts),
    placeholderData: (previous) => previous,
  });

/** The contact for a phone number typed in "New conversation" (created when the business never talked to it). */
export function addContact(input: { numberId: string; phone: string; name?: string }) {
  return apiFetch<{ contactId: string }>("/api/contacts", { method: "POST", body: input });
}

export function startConversation(contactId: string) {
  return apiFetch<{ conversationId: string; created: boolean }>(`/api/contacts/${contactId}/conversation`, { method: "POST" });
}

/** A photo or document with an optional caption and quote; the server checks type and size again. */
export function sendMediaMessage(
  conversationId: string,
  input: { clientKey: string; caption: string; file: File; replyToWamid?: string },
) {
  const form = new FormData();
  form.set("clientKey", input.clientKey);
  form.set("caption", input.caption);
  form.set("file", input.file);
  if (input.replyToWamid) form.set("replyToWamid", input.replyToWamid);
  return apiFetch<{ messageId: string; duplicate: boolean }>(`/api/conversations/${conversationId}/media`, {
    method: "POST",
    body: form,
  });
}

export function markConversationRead(conversationId: string) {
  return apiFetch<{ ok: true }>(`/api/conversations/${conversationId}/read`, { method: "POST" });
}

/** Active teammates, for the assignee picker. */
export const usersQuery = () =>
  queryOptions({
    queryKey: queryKeys.users,
    queryFn: ({ signal }) => apiFetch<{ users: UserDto[] }>("/api/users", { signal }).then((r) => r.users),
    staleTime: 5 * 60_000,
  });

export type ConversationPatch = {
  status?: ConversationStatus;
  /** ISO time, with the status snoozed. */
  snoozedUntil?: string;
  assigneeId?: string | null;
  labelIds?: string[];
};

export function updateConversation(conversationId: string, patch: ConversationPatch) {
  return apiFetch<{ conversation: ConversationDto }>(`/api/conversations/${conversationId}`, {
    method: "PATCH",
    body: patch,
  }).then((r) => r.conversation);
}

/** The workspace's labels (admins define them; every member applies them). */
export const labelsQuery = () =>
  queryOptions({
    queryKey: queryKeys.labels,
    queryFn: ({ signal }) => apiFetch<{ labels: LabelDto[] }>("/api/labels", { signal }).then((r) => r.labels),
    staleTime: 5 * 60_000,
  });

export function createLabel(input: { name: string; color: LabelColor }) {
  return apiFetch<{ label: LabelDto }>("/api/labels", { method: "POST", body: input }).then((r) => r.label);
}

export function updateLabel(labelId: string, patch: { name?: string; color?: LabelColor }) {
  return apiFetch<{ label: LabelDto }>(`/api/labels/${labelId}`, { method: "PATCH", body: patch }).then((r) => r.label);
}

export function deleteLabel(labelId: string) {
  return apiFetch<{ ok: true }>(`/api/labels/${labelId}`, { method: "DELETE" });
}

/** An agent's name for a contact; null (or blank) goes back to the automatic name. */
export function renameContact(contactId: string, customName: string | null) {
  return apiFetch<{ contactId: string; customName: string | null }>(`/api/contacts/${contactId}`, {
    method: "PATCH",
    body: { customName },
  });
}

export const webhookEventsQuery = (status: WebhookEventStatus) =>
  queryOptions({
    queryKey: queryKeys.webhookEventList(status),
    queryFn: ({ signal }) =>
      apiFetch<{ events: WebhookEventDto[] }>(withQuery("/api/admin/webhook-events", { status, limit: 100 }), { signal }).then(
        (r) => r.events,
      ),
  });

export function replayWebhookEvent(eventId: number) {
  return apiFetch<{ eventId: number; status: WebhookEventStatus }>(`/api/admin/webhook-events/${eventId}/replay`, {
    method: "POST",
    body: {},
  });
}

export type UnreadCounts = { all: number; mine: number; unassigned: number };

export const unreadCountsQuery = () =>
  queryOptions({
    queryKey: queryKeys.unreadCounts,
    queryFn: ({ signal }) => apiFetch<{ unread: UnreadCounts }>("/api/conversations/counts", { signal }).then((r) => r.unread),
  });

export const notificationSettingsQuery = () =>
  queryOptions({
    queryKey: queryKeys.notificationSettings,
    queryFn: ({ signal }) =>
      apiFetch<{ settings: NotificationSettingsDto }>("/api/me/notifications", { signal }).then((r) => r.settings),
    staleTime: 5 * 60_000,
  });

export function updateNotificationSettings(patch: Partial<NotificationSettingsDto>) {
  return apiFetch<{ settings: NotificationSettingsDto }>("/api/me/notifications", { method: "PATCH", body: patch }).then(
    (r) => r.settings,
  );
}

export const teamQuery = () =>
  queryOptions({ queryKey: queryKeys.team, queryFn: ({ signal }) => apiFetch<TeamDto>("/api/team", { signal }) });

export function createInvite(input: { email: string; role: "admin" | "agent"; numberIds: string[] }) {
  return apiFetch<{ invite: Pick<InviteDto, "id" | "email" | "role" | "expiresAt">; url: string }>("/api/invites", {
    method: "POST",
    body: input,
  });
}

export function revokeInvite(inviteId: string) {
  return apiFetch<{ inviteId: string }>(`/api/invites/${inviteId}`, { method: "DELETE" });
}

export function updateMember(userId: string, patch: Partial<Pick<TeamMemberDto, "role" | "isActive" | "numberIds">>) {
  return apiFetch<{ member: unknown }>(`/api/users/${userId}`, { method: "PATCH", body: patch });
}

export function resetMemberPassword(userId: string, password: string) {
  return apiFetch<{ userId: string }>(`/api/users/${userId}/password`, { method: "POST", body: { password } });
}

export function changeOwnPassword(input: { currentPassword: string; newPassword: string }) {
  return apiFetch<{ userId: string }>("/api/me/password", { method: "POST", body: input });
}
export function replayFailedWebhookEvents() {
  return apiFetch<{ replayed: number }>("/api/admin/webhook-events/replay-failed", { method: "POST", body: {} });
}

export function retryFailedMediaDownloads(numberId: string) {
  return apiFetch<{ requeued: number }>(`/api/admin/numbers/${numberId}/media-downloads/retry`, { method: "POST", body: {} });
}

export function dismissWebhookEvent(eventId: number) {
  return apiFetch<{ eventId: number; dismissed: true }>(`/api/admin/webhook-events/${eventId}/dismiss`, {
    method: "POST",
    body: {},
  });
}

/** The raw body of one event; it never changes, so it is fetched once. */
export const webhookEventPayloadQuery = (eventId: number) =>
  queryOptions({
    queryKey: queryKeys.webhookEventPayload(eventId),
    queryFn: ({ signal }) => apiFetch<WebhookEventPayloadDto>(`/api/admin/webhook-events/${eventId}/payload`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

export function addNote(conversationId: string, input: { clientKey: string; text: string }) {
  return apiFetch<{ messageId: string; duplicate: boolean }>(`/api/conversations/${conversationId}/notes`, {
    method: "POST",
    body: input,
  });
}

export type MentionDto = Jsonify<Awaited<ReturnType<typeof listMentions>>[number]>;

/** The signed-in user's unread mentions; a mention notice or opening the conversation refreshes it. */
export const mentionsQuery = () =>
  queryOptions({
    queryKey: queryKeys.mentions,
    queryFn: ({ signal }) => apiFetch<{ mentions: MentionDto[] }>("/api/me/mentions", { signal }).then((r) => r.mentions),
  });

export const numberMembersQuery = (numberId: string) =>
  queryOptions({
    queryKey: queryKeys.numberMembers(numberId),
    queryFn: ({ signal }) =>
      apiFetch<{ members: UserDto[] }>(`/api/numbers/${numberId}/members`, { signal }).then((r) => r.members),
    staleTime: 60_000,
  });

export type CannedReplyDto = Jsonify<Awaited<ReturnType<typeof listCannedReplies>>[number]>;

export const cannedRepliesQuery = (numberId: string) =>
  queryOptions({
    queryKey: queryKeys.cannedReplies(numberId),
    queryFn: ({ signal }) =>
      apiFetch<{ cannedReplies: CannedReplyDto[] }>(`/api/numbers/${numberId}/canned-replies`, { signal }).then(
        (r) => r.cannedReplies,
      ),
    staleTime: 60_000,
  });

export function createCannedReply(numberId: string, input: { shortcut: string; body: string }) {
  return apiFetch<{ cannedReply: CannedReplyDto }>(`/api/numbers/${numberId}/canned-replies`, { method: "POST", body: input });
}

export function updateCannedReply(id: string, input: { shortcut?: string; body?: string }) {
  return apiFetch<{ cannedReply: CannedReplyDto }>(`/api/canned-replies/${id}`, { method: "PATCH", body: input });
}

export function deleteCannedReply(id: string) {
  return apiFetch<{ cannedReply: { id: string } }>(`/api/canned-replies/${id}`, { method: "DELETE" });
}

export function updateNumberSettings(numberId: string, input: { autoAssignOnReply: boolean }) {
  return apiFetch<{ number: { id: string; autoAssignOnReply: boolean } }>(`/api/numbers/${numberId}`, {
    method: "PATCH",
    body: input,
  });
}
