"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { CloseIcon } from "@/components/ui/icons";
import { TextField } from "@/components/ui/text-field";
import { formatPhone, numberStateLabel } from "@/lib/client/format";
import { addContact, contactsQuery, numbersQuery, startConversation } from "@/lib/client/queries";
import { waIdOf } from "@/lib/whatsapp/phone";

/**
 * "New conversation": find a contact (address-book contacts who never wrote included), or type a
 * number the business never talked to, and open the conversation; its closed window offers the
 * template picker.
 */
export function NewConversation({ numberId, onOpen }: { numberId: string | null; onOpen: (conversationId: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [search, setSearch] = useState("");
  const [isOpen, setOpen] = useState(false);
  const searchId = useId();
  const contacts = useQuery({ ...contactsQuery({ search, numberId }), enabled: isOpen });
  const opened = ({ conversationId }: { conversationId: string }) => {
    dialog.current?.close();
    onOpen(conversationId);
  };
  const start = useMutation({ mutationFn: startConversation, onSuccess: opened });
  // A typed number nobody matches: its contact is made on a number the user can send from.
  const numbers = useQuery({ ...numbersQuery(), enabled: isOpen });
  const senders = (numbers.data ?? []).filter((n) => numberStateLabel[n.state].canSend && (!numberId || n.id === numberId));
  const [fromId, setFromId] = useState<string | null>(null);
  const [name, setName] = useState("");
  const from = senders.find((n) => n.id === fromId) ?? senders[0];
  const typed = waIdOf(search);
  const isKnown = contacts.data?.some((c) => c.waId === typed) ?? true;
  const write = useMutation({
    mutationFn: async (input: { numberId: string; phone: string; name: string }) =>
      startConversation((await addContact(input)).contactId),
    onSuccess: opened,
  });
  const failed = start.error ?? write.error;
  useEffect(() => {
    if (isOpen) dialog.current?.showModal();
  }, [isOpen]);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="h-8 shrink-0 rounded-lg border border-zinc-300 px-2.5 text-xs font-medium text-zinc-700 hover:bg-zinc-50"
      >
        New<span className="max-[359px]:sr-only"> conversation</span>
      </button>
      {isOpen ? (
        <dialog
          ref={dialog}
          aria-label="Start a conversation"
          onClose={() => setOpen(false)}
          className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl p-0 shadow-xl backdrop:bg-black/30"
        >
          <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-3">
            <h2 className="text-sm font-semibold text-zinc-900">Start a conversation</h2>
            <button
              type="button"
              aria-label="Close"
              onClick={() => dialog.current?.close()}
              className="inline-flex size-7 items-center justify-center rounded text-zinc-500 hover:bg-zinc-100"
            >
              <CloseIcon className="size-4" />
            </button>
          </div>
          <div className="p-4">
            <label htmlFor={searchId} className="text-xs font-medium text-zinc-700">
              Contact name or number
            </label>
            <input
              id={searchId}
              type="search"
              autoFocus
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              className="mt-1 block h-9 w-full rounded-lg border border-zinc-300 px-2.5 text-sm focus:border-emerald-600 focus:ring-2 focus:ring-emerald-100 focus:outline-none"
            />
            <p className="mt-1 text-xs text-zinc-500">Customers who have not written recently get an approved template first.</p>
            {failed ? (
              <p role="alert" className="mt-2 text-sm text-red-700">
                {failed.message}
              </p>
            ) : null}
            <ul aria-label="Contacts" className="mt-2 max-h-72 divide-y divide-zinc-100 overflow-y-auto">
              {contacts.isPending ? <li className="py-2 text-sm text-zinc-500">Loading contacts…</li> : null}
              {contacts.data?.length === 0 ? <li className="py-2 text-sm text-zinc-500">No contact matches.</li> : null}
              {contacts.data?.map((contact) => (
                <li key={contact.id}>
                  <button
                    type="button"
                    disabled={start.isPending}
                    onClick={() => start.mutate(contact.id)}
                    className="flex w-full items-baseline justify-between gap-3 rounded-md px-2 py-2 text-left hover:bg-zinc-50 disabled:opacity-50"
                  >
                    <span className="min-w-0">
                      <span className="block truncate text-sm font-medium text-zinc-900">{contact.displayName}</span>
                      <span className="block truncate text-xs text-zinc-500">{formatPhone(contact.waId ?? contact.userId)}</span>
                    </span>
                    <span className="shrink-0 text-xs text-zinc-500">{contact.conversationId ? "Open" : "New"}</span>
                  </button>
                </li>
              ))}
            </ul>
            {typed && !isKnown && from ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  write.mutate({ numberId: from.id, phone: search, name });
                }}
                className="mt-2 space-y-2 border-t border-zinc-100 pt-3"
              >
                <TextField
                  label="Name (optional)"
                  value={name}
                  maxLength={120}
                  autoComplete="off"
                  onChange={(e) => setName(e.target.value)}
                />
                <div className="flex flex-wrap items-center gap-2">
                  {senders.length > 1 ? (
                    <label className="flex min-w-0 items-center gap-1.5 text-xs text-zinc-700">
                      From
                      <select
                        value={from.id}
                        onChange={(e) => setFromId(e.target.value)}
                        className="h-8 min-w-0 rounded-lg border border-zinc-300 bg-white px-2 text-sm"
                      >
                        {senders.map((n) => (
                          <option key={n.id} value={n.id}>
                            {n.verifiedName ?? formatPhone(n.displayPhoneNumber)}
                          </option>
                        ))}
                      </select>
                    </label>
                  ) : null}
                  <button
                    type="submit"
                    disabled={write.isPending}
                    className="h-8 rounded-lg bg-emerald-700 px-3 text-sm font-medium text-white hover:bg-emerald-800 disabled:opacity-50"
                  >
                    Write to {formatPhone(typed)}
                  </button>
                </div>
              </form>
            ) : null}
          </div>
        </dialog>
      ) : null}
    </>
  );
}
