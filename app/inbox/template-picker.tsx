"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useMemo, useRef, useState } from "react";
import { LockIcon, SendIcon } from "@/components/ui/icons";
import { isApiError } from "@/lib/client/api";
import { newClientKey } from "@/lib/client/client-key";
import { queryKeys, sendTemplateMessage, syncTemplates, type TemplateDto, templatesQuery } from "@/lib/client/queries";
import { refreshThread } from "@/lib/client/thread-refresh";
import { listTemplateFields, renderTemplate, type TemplateValues, validateTemplateValues } from "@/lib/whatsapp/templates";
import { nameVariable } from "./composer-suggestions";

/**
 * Replaces the composer while the window is closed: says why, lets the agent find an approved
 * template by name, fill each variable (and header media, button links), checks them, and previews
 * the message as the customer will see it. Variables called `name` and `first_name` start filled
 * with the customer's name. The free-text draft is kept aside untouched.
 */
export function TemplatePicker({
  conversationId,
  numberId,
  customerName,
  reason,
  onSend,
}: {
  conversationId: string;
  numberId: string;
  /** Null when the customer is known only by their number. */
  customerName: string | null;
  reason: string;
  /** Called as a send starts (see the composer's). */
  onSend: () => void;
}) {
  const queryClient = useQueryClient();
  const list = useQuery(templatesQuery(numberId));
  const [search, setSearch] = useState("");
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [values, setValues] = useState<TemplateValues>({});
  const [showProblems, setShowProblems] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A retried click after a lost answer reuses its key, so the template is not sent twice.
  const pending = useRef<{ signature: string; clientKey: string } | null>(null);
  const searchId = useId();

  const sync = useMutation({
    mutationFn: () => syncTemplates(numberId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.templates(numberId) }),
  });
  const send = useMutation({
    mutationFn: (input: { templateId: string; values: TemplateValues; clientKey: string }) =>
      sendTemplateMessage(conversationId, input),
  });

  const templates = list.data ?? [];
  const matching = useMemo(() => {
    const term = search.trim().toLowerCase();
    return term ? templates.filter((t) => t.name.toLowerCase().includes(term)) : templates;
  }, [templates, search]);
  const chosen = templates.find((t) => t.id === chosenId) ?? null;
  const fields = chosen ? listTemplateFields(chosen.definition) : [];
  const problems = chosen ? validateTemplateValues(chosen.definition, values) : {};
  const canSend = chosen !== null && Object.keys(problems).length === 0 && !send.isPending;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setShowProblems(true);
    if (!chosen || !canSend) return;
    const signature = JSON.stringify([chosen.id, values]);
    const clientKey = pending.current?.signature === signature ? pending.current.clientKey : newClientKey();
    pending.current = { signature, clientKey };
    setError(null);
    onSend();
    try {
      await send.mutateAsync({ templateId: chosen.id, values, clientKey });
    } catch (e) {
      setError(e instanceof Error ? e.message : "The template could not be sent.");
      if (isApiError(e, "NOT_FOUND")) void queryClient.invalidateQueries({ queryKey: queryKeys.templates(numberId) });
      return;
    }
    pending.current = null;
    await refreshThread(queryClient, conversationId);
    void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
    setChosenId(null);
    setValues({});
    setShowProblems(false);
  }

  return (
    <section aria-label="Send a template" className="flex max-h-[60vh] shrink-0 flex-col border-t border-zinc-200 bg-white">
      <div className="flex items-start gap-3 px-4 pt-3 text-sm">
        <LockIcon className="mt-0.5 size-4 shrink-0 text-zinc-500" />
        <div className="min-w-0 flex-1">
          <p className="font-semibold text-zinc-900">The 24-hour window is closed: send an approved template</p>
          <p className="mt-0.5 text-xs text-zinc-600">{reason} Free text can be sent again once the customer replies.</p>
        </div>
      </div>
      {chosen ? (
        <form onSubmit={onSubmit} className="flex min-h-0 flex-col gap-3 overflow-y-auto px-4 pt-3 pb-3 sm:flex-row">
          <div className="min-w-0 flex-1 space-y-2">
            <div className="flex items-center justify-between gap-2">
              <p className="truncate text-sm font-medium text-zinc-900">
                {chosen.name} <TemplateMeta template={chosen} />
              </p>
              <button
                type="button"
                onClick={() => {
                  setChosenId(null);
                  setValues({});
                  setShowProblems(false);
                }}
                className="shrink-0 rounded-md px-2 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-100"
              >
                Change template
              </button>
            </div>
            {fields.length === 0 ? <p className="text-xs text-zinc-500">This template has no variables.</p> : null}
            {fields.map((field) => {
              const problem = showProblems ? problems[field.key] : undefined;
              return (
                <label key={field.key} className="block text-xs font-medium text-zinc-700">
                  {field.label}
                  <input
                    type={field.kind === "media" ? "url" : "text"}
                    value={values[field.key] ?? ""}
                    onChange={(e) => setValues((v) => ({ ...v, [field.key]: e.target.value }))}
                    aria-invalid={problem ? true : undefined}
                    placeholder={field.kind === "media" ? "https://…" : ""}
                    className="mt-0.5 block w-full rounded-lg border border-zinc-300 px-2.5 py-1.5 text-sm font-normal focus:border-emerald-600 focus:ring-2 focus:ring-emerald-100 focus:outline-none aria-invalid:border-red-400"
                  />
                  {problem ? <span className="mt-0.5 block font-normal text-red-700">{problem}</span> : null}
                </label>
              );
            })}
            {error ? (
              <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                Not sent: {error}
              </p>
            ) : null}
            <button
              type="submit"
              disabled={send.isPending || (showProblems && !canSend)}
              className="inline-flex h-9 items-center gap-1.5 rounded-xl bg-emerald-600 px-3.5 text-sm font-medium text-white shadow-sm hover:bg-emerald-700 disabled:cursor-not-allowed disabled:bg-zinc-200 disabled:text-zinc-500"
            >
              <SendIcon className="size-4" />
              Send template
            </button>
          </div>
          <TemplatePreview template={chosen} values={values} />
        </form>
      ) : (
        <div className="flex min-h-0 flex-col px-4 pt-2 pb-3">
          <div className="flex items-center gap-2">
            <label htmlFor={searchId} className="sr-only">
              Search templates
            </label>
            <input
              id={searchId}
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Search templates by name"
              className="h-9 min-w-0 flex-1 rounded-lg border border-zinc-300 px-2.5 text-sm focus:border-emerald-600 focus:ring-2 focus:ring-emerald-100 focus:outline-none"
            />
            <button
              type="button"
              onClick={() => sync.mutate()}
              disabled={sync.isPending}
              className="h-9 shrink-0 rounded-lg border border-zinc-300 px-2.5 text-xs font-medium text-zinc-700 hover:bg-zinc-50 disabled:opacity-50"
            >
              {sync.isPending ? "Syncing…" : "Sync from WhatsApp"}
            </button>
          </div>
          {list.isError || sync.isError ? (
            <p role="alert" className="mt-2 text-sm text-red-700">
              {(sync.error ?? list.error)?.message ?? "The templates could not be loaded."}
            </p>
          ) : null}
          <ul aria-label="Approved templates" className="mt-2 min-h-0 divide-y divide-zinc-100 overflow-y-auto">
            {list.isPending ? <li className="py-2 text-sm text-zinc-500">Loading templates…</li> : null}
            {!list.isPending && matching.length === 0 ? (
              <li className="py-2 text-sm text-zinc-500">
                {templates.length === 0 ? "No approved templates on this WhatsApp account yet." : "No template matches."}
              </li>
            ) : null}
            {matching.map((template) => (
              <li key={template.id}>
                <button
                  type="button"
                  onClick={() => {
                    setChosenId(template.id);
                    setValues(namesFilled(template, customerName));
                  }}
                  className="flex w-full items-baseline justify-between gap-3 rounded-md px-2 py-1.5 text-left hover:bg-zinc-50 focus-visible:bg-zinc-50"
                >
                  <span className="min-w-0">
                    <span className="block truncate text-sm font-medium text-zinc-900">{template.name}</span>
                    <span className="block truncate text-xs text-zinc-500">{renderTemplate(template.definition, {}).body}</span>
                  </span>
                  <TemplateMeta template={template} />
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The template's text variables called `name` or `first_name`, filled with the customer's name. */
function namesFilled(template: TemplateDto, customerName: string | null): TemplateValues {
  const values: TemplateValues = {};
  for (const field of listTemplateFields(template.definition)) {
    const name = field.kind === "text" ? nameVariable(field.name, customerName) : null;
    if (name) values[field.key] = name;
  }
  return values;
}

function TemplateMeta({ template }: { template: TemplateDto }) {
  return (
    <span className="shrink-0 text-[11px] font-normal whitespace-nowrap text-zinc-500">
      {template.language} · {template.category.toLowerCase()}
    </span>
  );
}

/** The message as the customer's phone will show it; unfilled variables stay visible as {{n}}. */
function TemplatePreview({ template, values }: { template: TemplateDto; values: TemplateValues }) {
  const preview = renderTemplate(template.definition, values);
  return (
    <figure className="shrink-0 rounded-xl bg-thread p-3 sm:w-72" aria-label="Preview">
      <figcaption className="mb-1.5 text-[11px] font-medium text-zinc-500 uppercase">Preview</figcaption>
      <div className="rounded-xl rounded-tr-sm bg-bubble-out px-2.5 py-1.5 text-[14px] leading-snug text-zinc-900 shadow-sm">
        {preview.media ? (
          <div className="mb-1.5 flex h-28 items-center justify-center overflow-hidden rounded-lg bg-zinc-200 text-xs text-zinc-600">
            {/* The page's CSP loads no remote images: name the file the customer will receive instead. */}
            {preview.media.link ? (
              <span className="px-3 text-center break-all">
                {preview.media.format} from {preview.media.link.replace(/^https:\/\//, "")}
              </span>
            ) : (
              `${preview.media.format} header: add its https link`
            )}
          </div>
        ) : null}
        {preview.header ? <p className="font-semibold">{preview.header}</p> : null}
        <p className="whitespace-pre-wrap">{preview.body}</p>
        {preview.footer ? <p className="mt-1 text-xs text-zinc-500">{preview.footer}</p> : null}
      </div>
      {preview.buttons.map((label) => (
        <div key={label} className="mt-1 rounded-lg bg-white py-1.5 text-center text-sm font-medium text-sky-700 shadow-sm">
          {label}
        </div>
      ))}
    </figure>
  );
}
