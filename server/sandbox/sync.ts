import { randomBytes } from "node:crypto";
import {
  contactSyncBatch,
  type HistoryMessage,
  historyChunk,
  historyDeclined,
  historyMedia,
} from "@/lib/whatsapp/fixtures/build";
import { addressBook, isWithinMediaFollowUp, type ScriptedMessage, scriptedHistory, syntheticHistory } from "./history-script";
import type { MediaStore } from "./media";
import type { NumberState, NumberStore, SyncKind } from "./state";
import type { Timers } from "./timers";
import type { BusinessNumber, WebhookSender } from "./webhooks";

/**
 * The onboarding syncs Meta runs after `POST /{phone_number_id}/smb_app_data`: the address book as
 * `smb_app_state_sync` webhooks, and the chat history as `history` webhooks (phased chunks delivered out
 * of order, then media follow-ups), or the 2593109 "declined" webhook. Each kind runs once per onboarding,
 * within 24 hours of it, whether Tandem or a person on the control page asks.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/history
 */

export type SyncDeps = {
  number: BusinessNumber;
  state: NumberStore;
  webhooks: WebhookSender;
  media: MediaStore;
  timers: Timers;
  now: () => Date;
  /** Pause before each sync webhook, so progress is visible. */
  pauseMs: number;
  /** When set, each sync's webhooks are spread evenly over this many milliseconds instead. */
  spanMs?: number;
  log: (line: string) => void;
};

export type SyncRefusal = "used" | "window_closed" | "not_connected";

export const syncWindowMs = 24 * 60 * 60 * 1000;
// How many chunks each phase's threads are split into.
const chunksPerPhase = [2, 3, 2] as const;
const contactsPerWebhook = 3;

type Delivery = { body: unknown; progress?: number };
type Totals = { messages: number; threads: number } | null;

export function createSyncRunner(deps: SyncDeps) {
  const pause = (ms: number) => new Promise<void>((resolve) => deps.timers.later(ms, resolve));

  async function play(kind: SyncKind, requestId: string, deliveries: Delivery[]) {
    const pauseMs = deps.spanMs === undefined ? deps.pauseMs : deps.spanMs / Math.max(1, deliveries.length);
    for (const [index, delivery] of deliveries.entries()) {
      await pause(pauseMs);
      // A reset (re-onboarding) abandons the sync in flight.
      if (deps.state.getNumber().syncs[kind]?.requestId !== requestId) return;
      const attempt = await deps.webhooks.deliver(delivery.body);
      deps.state.updateNumber((number) => {
        const record = number.syncs[kind];
        if (record?.requestId !== requestId) return;
        record.webhooksSent = index + 1;
        if (delivery.progress !== undefined) record.progress = Math.max(record.progress ?? 0, delivery.progress);
        if (index === deliveries.length - 1) record.finishedAt = deps.now().toISOString();
      });
      if (!attempt.delivered) deps.log(`${kind} sync webhook ${index + 1} of ${deliveries.length} not acknowledged yet`);
    }
  }

  function contactDeliveries(): Delivery[] {
    const timestamp = Math.floor(deps.now().getTime() / 1000);
    const items = addressBook.map((c) => ({
      phone: c.phone,
      action: "add" as const,
      fullName: c.fullName,
      firstName: c.firstName,
      timestamp,
    }));
    const deliveries: Delivery[] = [];
    for (let i = 0; i < items.length; i += contactsPerWebhook) {
      deliveries.push({ body: contactSyncBatch(deps.number, items.slice(i, i + contactsPerWebhook)) });
    }
    return deliveries;
  }

  function historyDeliveries(number: NumberState): { deliveries: Delivery[]; totals: Totals } {
    if (number.historyChoice === "decline") return { deliveries: [{ body: historyDeclined(deps.number) }], totals: null };
    const onboardedAt = new Date(number.onboardedAt);
    const history =
      number.historySize === null ? scriptedHistory(onboardedAt) : syntheticHistory(onboardedAt, number.historySize);
    const chunks: { phase: number; chunkOrder: number; threads: { id: string; messages: HistoryMessage[] }[] }[] = [];
    for (const phase of [0, 1, 2] as const) {
      const threads = history
        .map((thread) => ({ id: thread.waId, messages: thread.messages.filter((m) => m.phase === phase).map(toHistoryMessage) }))
        .filter((thread) => thread.messages.length > 0);
      const count = Math.min(chunksPerPhase[phase], threads.length);
      const phaseChunks = Array.from({ length: count }, (_, i) => ({
        phase,
        chunkOrder: i + 1,
        threads: threads.slice(Math.floor((i * threads.length) / count), Math.floor(((i + 1) * threads.length) / count)),
      }));
      // Meta does not deliver chunks in order: here chunk 2 of each phase comes before chunk 1.
      if (phaseChunks.length > 1) [phaseChunks[0], phaseChunks[1]] = [phaseChunks[1]!, phaseChunks[0]!];
      chunks.push(...phaseChunks);
    }
    const deliveries: Delivery[] = chunks.map((chunk, index) => {
      // Progress is the sync's overall progress when the chunk leaves, so it rises in delivery order.
      const progress = Math.round((100 * (index + 1)) / chunks.length);
      return { body: historyChunk(deps.number, { ...chunk, progress }), progress };
    });

    // Media follow-ups, only for placeholders from the last 14 days; older media is never shared.
    for (const message of history.flatMap((thread) => thread.messages)) {
      if (message.media?.kind !== "photo" || !isWithinMediaFollowUp(message, onboardedAt)) continue;
      const file = deps.media.register(message.media.mediaId, message.media.seed);
      const isBusiness = message.direction === "outbound";
      deliveries.push({
        body: historyMedia(deps.number, {
          from: isBusiness ? deps.number.displayPhoneNumber : message.waId,
          ...(isBusiness ? { to: message.waId } : {}),
          wamid: message.wamid,
          timestamp: message.timestamp,
          caption: message.media.caption,
          mediaId: file.id,
          side: isBusiness ? "business" : "customer",
          mimeType: file.mimeType,
          // As in Meta's history reference, the follow-up gives the hash in hex.
          sha256: file.sha256Hex,
        }),
      });
    }
    const totals = {
      messages: history.reduce((n, thread) => n + thread.messages.length, 0),
      threads: history.filter((thread) => thread.messages.length > 0).length,
    };
    return { deliveries, totals };
  }

  function toHistoryMessage(message: ScriptedMessage): HistoryMessage {
    const isBusiness = message.direction === "outbound";
    return {
      wamid: message.wamid,
      from: isBusiness ? deps.number.displayPhoneNumber : message.waId,
      ...(isBusiness ? { to: message.waId } : {}),
      timestamp: message.timestamp,
      ...(message.media ? { placeholder: true } : { text: message.text ?? "" }),
      status: message.status,
    };
  }

  return {
    /**
     * Starts a sync if Meta would accept it; the webhooks follow asynchronously. Checks, in order:
     * the number is connected, this kind was not requested since onboarding, onboarding was < 24 h ago.
     */
    request(kind: SyncKind, via: "graph" | "control"): { requestId: string } | { refused: SyncRefusal } {
      const number = deps.state.getNumber();
      if (number.account.status !== "connected") return { refused: "not_connected" };
      if (number.syncs[kind]) return { refused: "used" };
      if (deps.now().getTime() - new Date(number.onboardedAt).getTime() > syncWindowMs) return { refused: "window_closed" };

      const requestId = randomBytes(16).toString("hex");
      const { deliveries, totals } =
        kind === "contacts" ? { deliveries: contactDeliveries(), totals: null } : historyDeliveries(number);
      deps.state.updateNumber((current) => {
        current.syncs[kind] = {
          requestId,
          requestedAt: deps.now().toISOString(),
          via,
          choice: kind === "history" ? current.historyChoice : null,
          webhooksSent: 0,
          webhooksTotal: deliveries.length,
          progress: null,
          finishedAt: null,
          messagesTotal: totals?.messages ?? null,
          threadsTotal: totals?.threads ?? null,
        };
      });
      deps.log(`${kind} sync ${requestId} requested via ${via}: ${deliveries.length} webhooks to deliver`);
      void play(kind, requestId, deliveries);
      return { requestId };
    },
  };
}

export type SyncRunner = ReturnType<typeof createSyncRunner>;
