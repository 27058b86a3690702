import type { DeliveryAttempt, WebhookSender } from "./webhooks";

/** The last webhooks the sandbox sent, for the control page: what went out and how Tandem answered. */

export type WebhookLogEntry = {
  id: number;
  at: string;
  field: string;
  summary: string;
  state: "pending" | "acknowledged" | "retrying" | "failed";
  httpStatus: number | null;
};

const keep = 40;

export function createWebhookLog(now: () => Date) {
  const entries: WebhookLogEntry[] = [];
  let nextId = 1;

  return {
    list: (): WebhookLogEntry[] => entries.map((entry) => ({ ...entry })).reverse(),

    /** The same sender, recording every delivery. */
    wrap(sender: WebhookSender): WebhookSender {
      return {
        ...sender,
        async deliver(payload: unknown, onSettled: (final: DeliveryAttempt) => void = () => {}) {
          const entry: WebhookLogEntry = {
            id: nextId++,
            at: now().toISOString(),
            ...describeWebhook(payload),
            state: "pending",
            httpStatus: null,
          };
          entries.push(entry);
          if (entries.length > keep) entries.shift();
          let isSettled = false;
          const first = await sender.deliver(payload, (final) => {
            isSettled = true;
            entry.state = final.delivered ? "acknowledged" : "failed";
            entry.httpStatus = final.status;
            onSettled(final);
          });
          if (!isSettled) {
            entry.state = "retrying";
            entry.httpStatus = first.status;
          }
          return first;
        },
      };
    },
  };
}

type Loose = Record<string, unknown> & { [key: string]: unknown };

/** One line about a webhook body, e.g. `history: phase 1, chunk 2, progress 43%`. */
export function describeWebhook(payload: unknown): { field: string; summary: string } {
  const entry = (payload as { entry?: { changes?: { field?: string; value?: Loose }[] }[] }).entry?.[0];
  const change = entry?.changes?.[0];
  const field = change?.field ?? "unknown";
  const value = change?.value ?? {};
  const first = (key: string) => (Array.isArray(value[key]) ? (value[key] as Loose[])[0] : undefined);
  const messageSummary = (message: Loose | undefined) => {
    if (!message) return "";
    const type = String(message.type);
    const content = message[type] as Loose | undefined;
    const text = typeof content?.body === "string" ? content.body : typeof content?.caption === "string" ? content.caption : "";
    return `${type}${text ? ` "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"` : ""}`;
  };
  switch (field) {
    case "messages": {
      const status = first("statuses");
      if (status) return { field, summary: `status ${String(status.status)}` };
      return { field, summary: messageSummary(first("messages")) };
    }
    case "smb_message_echoes":
      return { field, summary: messageSummary(first("message_echoes")) };
    case "history": {
      const item = first("history");
      const errors = item?.errors as Loose[] | undefined;
      if (errors?.[0]) return { field, summary: `error ${String(errors[0].code)} (history not shared)` };
      const meta = item?.metadata as Loose | undefined;
      if (meta) {
        const threads = (item?.threads as Loose[] | undefined) ?? [];
        const count = threads.reduce((sum, t) => sum + ((t.messages as unknown[] | undefined)?.length ?? 0), 0);
        return {
          field,
          summary: `phase ${String(meta.phase)}, chunk ${String(meta.chunk_order)}, progress ${String(meta.progress)}% (${count} messages)`,
        };
      }
      const media = first("messages") ?? first("message_echoes");
      return { field, summary: `media follow-up: ${messageSummary(media)}` };
    }
    case "smb_app_state_sync": {
      const items = (value.state_sync as Loose[] | undefined) ?? [];
      return { field, summary: `${items.length} contact${items.length === 1 ? "" : "s"} (${String(items[0]?.action ?? "")})` };
    }
    case "account_update": {
      const info = value.disconnection_info as Loose | undefined;
      return { field, summary: `${String(value.event)}${info ? ` (${String(info.reason)}, ${String(info.initiated_by)})` : ""}` };
    }
    default:
      return { field, summary: "" };
  }
}
