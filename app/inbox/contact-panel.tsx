"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { CloseIcon } from "@/components/ui/icons";
import { TextField } from "@/components/ui/text-field";
import { contactName, formatDateTime, formatPhone, nameSourceLabel } from "@/lib/client/format";
import { queryKeys, renameContact } from "@/lib/client/queries";
import type { ContactDto, ConversationDto, NumberDto } from "@/lib/client/types";

/** The name Tandem would show without an agent's name: address book, then profile, then the number. */
function automaticName(contact: ContactDto) {
  const addressBook = contact.addressBookRemovedAt ? null : contact.addressBookName;
  return addressBook ?? contact.profileName ?? formatPhone(contact.waId ?? contact.userId) ?? "";
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="py-2">
      <dt className="text-xs text-zinc-500">{term}</dt>
      <dd className="mt-0.5 text-sm break-words text-zinc-900">{children}</dd>
    </div>
  );
}

function RenameForm({ contact, conversationId }: { contact: ContactDto; conversationId: string }) {
  const queryClient = useQueryClient();
  const current = contact.nameSource === "agent" ? contact.displayName : "";
  const [draft, setDraft] = useState(current);
  const [saved, setSaved] = useState<string | null>(null);
  // Follow a rename made elsewhere (a teammate, another tab) unless the agent is typing.
  const lastCurrent = useRef(current);
  useEffect(() => {
    if (current !== lastCurrent.current) {
      setDraft((d) => (d === lastCurrent.current ? current : d));
      lastCurrent.current = current;
    }
  }, [current]);

  const rename = useMutation({
    mutationFn: (name: string | null) => renameContact(contact.id, name),
    onSuccess: async (result) => {
      setSaved(result.customName ? "Name saved." : "Back to the automatic name.");
      setDraft(result.customName ?? "");
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
      await queryClient.invalidateQueries({ queryKey: queryKeys.conversation(conversationId) });
    },
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    rename.mutate(draft.trim() || null);
  }

  const isDirty = draft.trim() !== current;
  return (
    <form onSubmit={onSubmit} className="space-y-2.5">
      <TextField
        label="Contact name"
        value={draft}
        maxLength={120}
        placeholder={automaticName(contact)}
        onChange={(event) => {
          setDraft(event.target.value);
          setSaved(null);
        }}
        error={rename.isError ? rename.error.message : null}
        hint="Only your team sees this name. It wins over the address book and the profile name."
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" className="px-3 py-1.5" disabled={!isDirty || rename.isPending}>
          {rename.isPending ? "Saving…" : "Save name"}
        </Button>
        {contact.nameSource === "agent" ? (
          <Button
            variant="ghost"
            className="px-2.5 py-1.5"
            disabled={rename.isPending}
            onClick={() => {
              setSaved(null);
              rename.mutate(null);
            }}
          >
            Reset to automatic name
          </Button>
        ) : null}
      </div>
      <p role="status" className="min-h-4 text-xs text-emerald-700">
        {saved}
      </p>
    </form>
  );
}

function ContactDetails({ conversation, number }: { conversation: ConversationDto; number: NumberDto | undefined }) {
  const contact = conversation.contact;
  const name = contactName(conversation);
  const profile = contact.profileName;
  const addressBook = contact.addressBookName;
  const namesDiffer = Boolean(profile && addressBook && profile !== addressBook);
  const showProfile = Boolean(profile && (profile !== contact.displayName || namesDiffer));
  const showAddressBook = Boolean(
    addressBook && (addressBook !== contact.displayName || namesDiffer || contact.addressBookRemovedAt),
  );

  return (
    <div className="space-y-5 p-4">
      <div className="flex items-center gap-3">
        <Avatar name={name} />
        <div className="min-w-0">
          <p className="truncate text-base font-semibold text-zinc-900">{name}</p>
          <p className="text-xs text-zinc-500">{nameSourceLabel[contact.nameSource]}</p>
        </div>
      </div>

      <dl className="divide-y divide-zinc-100 border-y border-zinc-100">
        <Row term="WhatsApp number">
          {contact.waId ? formatPhone(contact.waId) : <span className="text-zinc-500">Not shared by WhatsApp</span>}
        </Row>
        {contact.userId ? (
          <Row term="Business-scoped user id">
            <span className="font-mono text-xs">{contact.userId}</span>
          </Row>
        ) : null}
        {showProfile ? <Row term="WhatsApp profile name">{profile}</Row> : null}
        {showAddressBook ? (
          <Row term="Name in the phone's address book">
            <span className={contact.addressBookRemovedAt ? "text-zinc-500 line-through" : ""}>{addressBook}</span>
          </Row>
        ) : null}
        {contact.addressBookRemovedAt ? (
          <Row term="Address book">
            Removed from the phone's address book
            <span className="block text-xs text-zinc-500">{formatDateTime(contact.addressBookRemovedAt)}</span>
          </Row>
        ) : null}
        {number ? <Row term="Business number">{number.verifiedName || formatPhone(number.displayPhoneNumber)}</Row> : null}
      </dl>

      <RenameForm key={contact.id} contact={contact} conversationId={conversation.id} />
    </div>
  );
}

function PanelHeader({ onClose }: { onClose: () => void }) {
  return (
    <div className="flex h-[3.75rem] shrink-0 items-center justify-between border-b border-zinc-200 px-4">
      <h2 className="text-sm font-semibold text-zinc-900">Contact details</h2>
      <button
        type="button"
        onClick={onClose}
        aria-label="Close"
        className="inline-flex size-8 items-center justify-center rounded-lg text-zinc-600 hover:bg-zinc-100"
      >
        <CloseIcon className="size-4" />
      </button>
    </div>
  );
}

/** Beside the thread on wide screens; a modal sheet from the side on smaller ones. */
export function ContactPanel({
  id,
  conversation,
  number,
  mode,
  onClose,
}: {
  id: string;
  conversation: ConversationDto;
  number: NumberDto | undefined;
  mode: "aside" | "sheet";
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (mode === "sheet" && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [mode]);

  if (mode === "aside") {
    return (
      <aside
        id={id}
        aria-label="Contact details"
        className="flex w-72 shrink-0 flex-col overflow-y-auto border-l border-zinc-200 bg-white 2xl:w-80"
      >
        <PanelHeader onClose={onClose} />
        <ContactDetails conversation={conversation} number={number} />
      </aside>
    );
  }
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the click only catches the backdrop; Escape closes a modal dialog natively
    <dialog
      ref={dialog}
      id={id}
      aria-label="Contact details"
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog box itself, outside its content) closes the sheet.
        if (event.target === dialog.current) dialog.current.close();
      }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-none w-full max-w-sm bg-white p-0 shadow-xl backdrop:bg-black/30"
    >
      <div className="flex h-full flex-col">
        <PanelHeader onClose={() => dialog.current?.close()} />
        <div className="min-h-0 flex-1 overflow-y-auto">
          <ContactDetails conversation={conversation} number={number} />
        </div>
      </div>
    </dialog>
  );
}
