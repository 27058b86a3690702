import type { LabelSummary } from "@/db/queries/labels";
import type { ThreadMessage } from "@/db/queries/messages";
import type { NumberOverview, NumberSummary } from "@/db/queries/numbers";
import type { listActiveUsers } from "@/db/queries/users";
import type { ConversationItem } from "@/lib/services/conversations/list-conversations";
import type { listTeam } from "@/lib/services/users/list-team";
import type { NotificationSettingsDto } from "@/lib/services/users/update-notification-settings";
import type {
  getWebhookEventPayload,
  listWebhookEvents,
  WebhookEventFilter,
} from "@/lib/services/webhooks/replay-webhook-events";

/** What a server value becomes after JSON: dates turn into ISO strings. */
export type Jsonify<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Jsonify<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonify<T[K]> }
      : T;

export type NumberDto = Jsonify<NumberSummary>;
export type NumberState = NumberDto["state"];
export type NumberOverviewDto = Jsonify<NumberOverview>;
export type ConversationDto = Jsonify<ConversationItem>;
export type ConversationStatus = ConversationDto["status"];
export type MessageDto = Jsonify<ThreadMessage>;
export type MessageStatus = MessageDto["status"];

export type ConversationView = "all" | "mine" | "unassigned";
export type LabelDto = LabelSummary;
export type LabelColor = LabelDto["color"];

export type Page<K extends string, T> = { [P in K]: T[] } & { nextCursor: string | null };
export type ConversationPage = Page<"conversations", ConversationDto>;
export type MessagePage = Page<"messages", MessageDto>;

export type ContactDto = ConversationDto["contact"];
export type NameSource = ContactDto["nameSource"];
export type HistorySyncDto = NumberDto["history"];
export type UserDto = Jsonify<Awaited<ReturnType<typeof listActiveUsers>>[number]>;
export type WebhookEventDto = Jsonify<Awaited<ReturnType<typeof listWebhookEvents>>[number]>;
export type { NotificationSettingsDto };
export type TeamDto = Jsonify<Awaited<ReturnType<typeof listTeam>>>;
export type TeamMemberDto = TeamDto["members"][number];
export type InviteDto = TeamDto["invites"][number];
export type WebhookEventStatus = WebhookEventFilter;
export type WebhookEventPayloadDto = Jsonify<Awaited<ReturnType<typeof getWebhookEventPayload>>>;
