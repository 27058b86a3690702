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

const customerThreadMessageSchema = z.object({
  from: z.literal("customer"),
  wamid: z.string(),
  type: z.literal("text"),
  text: z.string(),
  timestamp: z.iso.datetime(),
  replyTo: z.string().nullable(),
  // Whether Tandem acknowledged the webhook carrying this message.
  webhook: z.enum(["pending", "acknowledged", "retrying", "failed"]),
  webhookHttpStatus: z.number().int().nullable(),
  isReadByBusiness: z.boolean(),
});

const businessThreadMessageSchema = z.object({
  from: z.literal("business"),
  wamid: z.string(),
  type: z.enum(["text", "template"]),
  text: z.string(),
  timestamp: z.iso.datetime(),
  replyTo: z.string().nullable(),
  status: z.enum(["accepted", "sent", "delivered", "read"]),
  template: z.record(z.string(), z.unknown()).nullable(),
});

export const threadMessageSchema = z.discriminatedUnion("from", [customerThreadMessageSchema, businessThreadMessageSchema]);
export type ThreadMessage = z.infer<typeof threadMessageSchema>;
export type CustomerThreadMessage = z.infer<typeof customerThreadMessageSchema>;
export type BusinessThreadMessage = z.infer<typeof businessThreadMessageSchema>;
type BusinessStatus = BusinessThreadMessage["status"];

const stateFileSchema = z.object({
  version: z.literal(1),
  customers: z.array(customerSchema),
  threads: z.record(z.string(), z.array(threadMessageSchema)),
});

export type StateEvent = { kind: "message"; waId: string; message: ThreadMessage } | { kind: "customers"; customers: Customer[] };

const statusRank: Record<BusinessStatus, number> = { accepted: 0, sent: 1, delivered: 2, read: 3 };

export function createState(options: { initialCustomers: readonly Customer[]; file?: string; log: (line: string) => void }) {
  const customers = new Map<string, Customer>(options.initialCustomers.map((c) => [c.waId, { ...c }]));
  const threads = new Map<string, ThreadMessage[]>();
  const listeners = new Set<(event: StateEvent) => void>();
  const persister = options.file ? createPersister(options.file, snapshot, options.log) : null;

  if (options.file) {
    const saved = loadStateFile(options.file);
    for (const customer of saved?.customers ?? []) customers.set(customer.waId, customer);
    for (const [waId, messages] of Object.entries(saved?.threads ?? {})) threads.set(waId, messages);
  }

  function snapshot(): z.infer<typeof stateFileSchema> {
    return { version: 1, customers: [...customers.values()], threads: Object.fromEntries(threads) };
  }

  function emit(event: StateEvent) {
    for (const listener of listeners) listener(event);
  }

  function changed(waId: string, message: ThreadMessage) {
    persister?.schedule();
    emit({ kind: "message", waId, message });
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

    recordWebhookOutcome(waId: string, wamid: string, webhook: CustomerThreadMessage["webhook"], httpStatus: number | null) {
      const message = findMessage(waId, wamid);
      if (message?.from !== "customer") return;
      message.webhook = webhook;
      message.webhookHttpStatus = httpStatus;
      changed(waId, message);
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
