import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/**
 * What the sandbox remembers: the customers and each one's thread as their phone shows it. The 24-hour
 * window is derived from the thread (the customer's last message), so persisting threads keeps it too.
 */

export const waIdSchema = z.string().regex(/^\d{6,15}$/, "must be 6 to 15 digits, without + or spaces");

export const customerSchema = z.object({ waId: waIdSchema, name: z.string().trim().min(1).max(100) });
export type Customer = z.infer<typeof customerSchema>;

// Whether Tandem acknowledged the webhook carrying a phone-sent message; "suppressed" when none was sent
// because the number was not connected to the Cloud API at the time.
const webhookStateSchema = z.enum(["pending", "acknowledged", "retrying", "failed", "suppressed"]);

// Fields added after the first release default, so older state files still load.
const changeFields = {
  /** Meta media id of an image; its bytes come from the media store. */
  mediaId: z.string().nullable().default(null),
  editedAt: z.iso.datetime().nullable().default(null),
  revokedAt: z.iso.datetime().nullable().default(null),
  /** The business's reaction sent through the API ("" or null: none). */
  businessReaction: z.string().nullable().default(null),
};

const customerThreadMessageSchema = z.object({
  from: z.literal("customer"),
  wamid: z.string(),
  type: z.enum(["text", "image"]),
  /** The text, or an image's caption ("" without one); the edited version after an edit. */
  text: z.string(),
  timestamp: z.iso.datetime(),
  replyTo: z.string().nullable(),
  webhook: webhookStateSchema,
  webhookHttpStatus: z.number().int().nullable(),
  isReadByBusiness: z.boolean(),
  ...changeFields,
});

const businessThreadMessageSchema = z.object({
  from: z.literal("business"),
  wamid: z.string(),
  type: z.enum(["text", "template", "image", "document"]),
  text: z.string(),
  timestamp: z.iso.datetime(),
  replyTo: z.string().nullable(),
  status: z.enum(["accepted", "sent", "delivered", "read"]),
  template: z.record(z.string(), z.unknown()).nullable(),
  /** A template's quick-reply buttons, by their index among its buttons: the customer can tap them. */
  quickReplies: z.array(z.object({ index: z.number().int(), text: z.string() })).default([]),
  /** "api": Tandem sent it through the Graph API (Meta mirrors it into the app); "app": sent in the Business app. */
  origin: z.enum(["api", "app"]).default("api"),
  /** For app-sent messages: the delivery of their `smb_message_echoes` webhook. */
  webhook: webhookStateSchema.nullable().default(null),
  webhookHttpStatus: z.number().int().nullable().default(null),
  ...changeFields,
});

export const threadMessageSchema = z.discriminatedUnion("from", [customerThreadMessageSchema, businessThreadMessageSchema]);
export type ThreadMessage = z.infer<typeof threadMessageSchema>;
export type CustomerThreadMessage = z.infer<typeof customerThreadMessageSchema>;
export type BusinessThreadMessage = z.infer<typeof businessThreadMessageSchema>;
export type WebhookState = z.infer<typeof webhookStateSchema>;
type BusinessStatus = BusinessThreadMessage["status"];

export const syncKinds = ["contacts", "history"] as const;
export type SyncKind = (typeof syncKinds)[number];
export const historyChoices = ["share", "decline"] as const;
export type HistoryChoice = (typeof historyChoices)[number];
export const accountStatuses = ["connected", "offboarded", "removed", "uninstalled"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

const syncRecordSchema = z.object({
  requestId: z.string(),
  requestedAt: z.iso.datetime(),
  /** Who asked: Tandem through `POST /{phone_number_id}/smb_app_data`, or a person on the control page. */
  via: z.enum(["graph", "control"]),
  choice: z.enum(historyChoices).nullable(),
  webhooksSent: z.number().int(),
  webhooksTotal: z.number().int(),
  /** Highest `progress` sent so far (history only). */
  progress: z.number().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  /** What the history sync carries in total (history only), so tests can compare Tandem's counts. */
  messagesTotal: z.number().int().nullable().default(null),
  threadsTotal: z.number().int().nullable().default(null),
});
export type SyncRecord = z.infer<typeof syncRecordSchema>;

/** The demo number's coexistence life in the sandbox: onboarding, the one-shot syncs, lifecycle. */
const numberStateSchema = z.object({
  onboardedAt: z.iso.datetime(),
  historyChoice: z.enum(historyChoices),
  /** Messages of synthetic history to share instead of the scripted demo chats (null: the script). */
  historySize: z.number().int().nullable().default(null),
  syncs: z.object({ contacts: syncRecordSchema.nullable(), history: syncRecordSchema.nullable() }),
  account: z.object({
    status: z.enum(accountStatuses),
    lastEvent: z.string().nullable(),
    lastEventAt: z.iso.datetime().nullable(),
  }),
});
export type NumberState = z.infer<typeof numberStateSchema>;

/** Media the sandbox serves; the bytes are regenerated from `seed`, so only this record is kept. */
const mediaRecordSchema = z.object({
  id: z.string(),
  seed: z.number().int(),
  mimeType: z.string(),
  createdAt: z.iso.datetime(),
});
export type MediaRecord = z.infer<typeof mediaRecordSchema>;

/** Ids Meta gives a business number: its WhatsApp Business account and the number itself. */
export const businessNumberSchema = z.object({
  wabaId: z.string(),
  phoneNumberId: z.string(),
  displayPhoneNumber: z.string(),
  verifiedName: z.string(),
});

/** A number connected through the sandbox's Embedded Signup popup, besides the demo number. */
const extraNumberSchema = z.object({ business: businessNumberSchema, accessToken: z.string(), state: numberStateSchema });
export type ExtraNumber = z.infer<typeof extraNumberSchema>;

/** One number's coexistence state, as the sync runner and lifecycle events read and change it. */
export type NumberStore = {
  getNumber: () => NumberState;
  updateNumber: (update: (current: NumberState) => void) => NumberState;
};

const stateFileSchema = z.object({
  version: z.literal(1),
  customers: z.array(customerSchema),
  threads: z.record(z.string(), z.array(threadMessageSchema)),
  number: numberStateSchema.optional(),
  media: z.array(mediaRecordSchema).optional(),
  extraNumbers: z.array(extraNumberSchema).optional(),
});

export type StateEvent =
  | { kind: "message"; waId: string; message: ThreadMessage }
  | { kind: "customers"; customers: Customer[] }
  | { kind: "number"; number: NumberState };

const statusRank: Record<BusinessStatus, number> = { accepted: 0, sent: 1, delivered: 2, read: 3 };

export function createState(options: {
  initialCustomers: readonly Customer[];
  file?: string;
  log: (line: string) => void;
  now?: () => Date;
}) {
  const now = options.now ?? (() => new Date());
  const customers = new Map<string, Customer>(options.initialCustomers.map((c) => [c.waId, { ...c }]));
  const threads = new Map<string, ThreadMessage[]>();
  const media = new Map<string, MediaRecord>();
  const listeners = new Set<(event: StateEvent) => void>();
  const persister = options.file ? createPersister(options.file, snapshot, options.log) : null;
  let number: NumberState = freshNumberState(now());
  const extraNumbers = new Map<string, ExtraNumber>();

  if (options.file) {
    const saved = loadStateFile(options.file);
    for (const customer of saved?.customers ?? []) customers.set(customer.waId, customer);
    for (const [waId, messages] of Object.entries(saved?.threads ?? {})) threads.set(waId, messages);
    for (const record of saved?.media ?? []) media.set(record.id, record);
    if (saved?.number) number = saved.number;
    for (const extra of saved?.extraNumbers ?? []) extraNumbers.set(extra.business.phoneNumberId, extra);
  }

  function snapshot(): z.infer<typeof stateFileSchema> {
    return {
      version: 1,
      customers: [...customers.values()],
      threads: Object.fromEntries(threads),
      number,
      media: [...media.values()],
      extraNumbers: [...extraNumbers.values()],
    };
  }

  function emit(event: StateEvent) {
    for (const listener of listeners) listener(event);
  }

  function changed(waId: string, message: ThreadMessage) {
    persister?.schedule();
    emit({ kind: "message", waId, message });
  }

  function numberChanged() {
    persister?.schedule();
    emit({ kind: "number", number: structuredClone(number) });
  }

  function findMessage(waId: string, wamid: string) {
    return threads.get(waId)?.find((m) => m.wamid === wamid);
  }

  return {
    listCustomers: (): Customer[] => [...customers.values()],
    findCustomer: (waId: string): Customer | null => customers.get(waId) ?? null,

    /** Adds the customer or renames them (a profile name can change); returns whether they are new. */
    upsertCustomer(customer: Customer): { customer: Customer; isCreated: boolean } {
      const existing = customers.get(customer.waId);
      if (existing?.name === customer.name) return { customer: existing, isCreated: false };
      customers.set(customer.waId, { ...customer });
      persister?.schedule();
      emit({ kind: "customers", customers: [...customers.values()] });
      return { customer, isCreated: !existing };
    },

    listThread: (waId: string): ThreadMessage[] => [...(threads.get(waId) ?? [])],

    appendMessage(waId: string, message: ThreadMessage): void {
      const thread = threads.get(waId) ?? [];
      thread.push(message);
      threads.set(waId, thread);
      changed(waId, message);
    },

    /** The 24-hour window runs from the customer's latest message. */
    findLastCustomerMessageAt(waId: string): Date | null {
      const last = threads
        .get(waId)
        ?.filter((m) => m.from === "customer")
        .at(-1);
      return last ? new Date(last.timestamp) : null;
    },

    /** Statuses only move forward, as Meta's do (sent < delivered < read). */
    advanceBusinessStatus(waId: string, wamid: string, status: BusinessStatus): void {
      const message = findMessage(waId, wamid);
      if (message?.from !== "business" || statusRank[status] <= statusRank[message.status]) return;
      message.status = status;
      changed(waId, message);
    },

    findMessage: (waId: string, wamid: string): ThreadMessage | null => findMessage(waId, wamid) ?? null,

    /** The delivery of the webhook that carried a phone-sent message (customer's, or an app-sent echo). */
    recordWebhookOutcome(waId: string, wamid: string, webhook: WebhookState, httpStatus: number | null) {
      const message = findMessage(waId, wamid);
      if (!message || (message.from === "business" && message.origin !== "app")) return;
      message.webhook = webhook;
      message.webhookHttpStatus = httpStatus;
      changed(waId, message);
    },

    /** Applies an edit (new text or caption) to a message; returns the updated message. */
    editMessage(waId: string, wamid: string, text: string, at: Date): ThreadMessage | null {
      const message = findMessage(waId, wamid);
      if (!message) return null;
      message.text = text;
      message.editedAt = at.toISOString();
      changed(waId, message);
      return message;
    },

    /** Marks a message deleted for everyone ("revoked"); its content is gone from both phones. */
    revokeMessage(waId: string, wamid: string, at: Date): ThreadMessage | null {
      const message = findMessage(waId, wamid);
      if (!message) return null;
      message.text = "";
      message.revokedAt = at.toISOString();
      changed(waId, message);
      return message;
    },

    /** The business reacts to a message (an empty emoji removes the reaction). */
    reactToMessage(waId: string, wamid: string, emoji: string): ThreadMessage | null {
      const message = findMessage(waId, wamid);
      if (!message) return null;
      message.businessReaction = emoji || null;
      changed(waId, message);
      return message;
    },

    /** Like Meta's mark-as-read: the message and every earlier customer message count as read. */
    markReadByBusiness(wamid: string): boolean {
      for (const [waId, thread] of threads) {
        const index = thread.findIndex((m) => m.wamid === wamid && m.from === "customer");
        if (index === -1) continue;
        for (const message of thread.slice(0, index + 1)) {
          if (message.from !== "customer" || message.isReadByBusiness) continue;
          message.isReadByBusiness = true;
          changed(waId, message);
        }
        return true;
      }
      return false;
    },

    getNumber: (): NumberState => structuredClone(number),

    /** Applies a change to the number's state and tells subscribers. */
    updateNumber(update: (current: NumberState) => void): NumberState {
      update(number);
      numberChanged();
      return structuredClone(number);
    },

    /** Re-onboards the number now: syncs unused, the 24-hour sync window restarts, the number is connected. */
    resetNumber(options: { historyChoice?: HistoryChoice; historySize?: number | null } = {}): NumberState {
      number = {
        ...freshNumberState(now()),
        historyChoice: options.historyChoice ?? number.historyChoice,
        historySize: options.historySize ?? null,
      };
      numberChanged();
      return structuredClone(number);
    },

    listExtraNumbers: (): ExtraNumber[] => structuredClone([...extraNumbers.values()]),

    /** Adds or re-onboards a number connected through the popup: fresh syncs, connected now. */
    onboardExtraNumber(input: Omit<ExtraNumber, "state"> & { historyChoice: HistoryChoice; historySize: number | null }) {
      const state = { ...freshNumberState(now()), historyChoice: input.historyChoice, historySize: input.historySize };
      extraNumbers.set(input.business.phoneNumberId, { business: input.business, accessToken: input.accessToken, state });
      persister?.schedule();
    },

    /** The store of a popup-connected number; null for an unknown id. */
    extraNumberStore(phoneNumberId: string): NumberStore | null {
      const extra = extraNumbers.get(phoneNumberId);
      if (!extra) return null;
      return {
        getNumber: () => structuredClone(extra.state),
        updateNumber(update) {
          update(extra.state);
          persister?.schedule();
          return structuredClone(extra.state);
        },
      };
    },

    findMedia: (id: string): MediaRecord | null => media.get(id) ?? null,

    addMedia(record: MediaRecord): void {
      if (media.has(record.id)) return;
      media.set(record.id, record);
      persister?.schedule();
    },

    subscribe(listener: (event: StateEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Waits for pending writes and stops persisting. */
    async close(): Promise<void> {
      listeners.clear();
      await persister?.close();
    },
  };
}

export type SandboxState = ReturnType<typeof createState>;

function freshNumberState(at: Date): NumberState {
  return {
    onboardedAt: at.toISOString(),
    historyChoice: "share",
    historySize: null,
    syncs: { contacts: null, history: null },
    account: { status: "connected", lastEvent: null, lastEventAt: null },
  };
}

function loadStateFile(file: string): z.infer<typeof stateFileSchema> | null {
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new Error(`Sandbox state file ${file} is not JSON; delete it to start with a fresh sandbox`);
  }
  const parsed = stateFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`Sandbox state file ${file} is not valid (${z.prettifyError(parsed.error)}); delete it to start fresh`);
  }
  return parsed.data;
}

/** Coalesces bursts of changes into one write; each write goes to a temporary file renamed into place. */
function createPersister(file: string, snapshot: () => unknown, log: (line: string) => void) {
  let chain = Promise.resolve();
  let isQueued = false;
  let isClosed = false;

  async function write() {
    isQueued = false;
    const temporary = `${file}.${process.pid}.tmp`;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temporary, JSON.stringify(snapshot()));
    await rename(temporary, file);
  }

  return {
    schedule(): void {
      if (isQueued || isClosed) return;
      isQueued = true;
      chain = chain.then(write).catch((error: unknown) => log(`could not save sandbox state to ${file}: ${String(error)}`));
    },
    async close(): Promise<void> {
      isClosed = true;
      await chain;
    },
  };
}
