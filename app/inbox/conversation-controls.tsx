"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { ChevronDownIcon, UserIcon } from "@/components/ui/icons";
import { redrawConversation } from "@/lib/client/conversation-cache";
import { formatDateTime } from "@/lib/client/format";
import { type ConversationPatch, conversationUpdateKey, queryKeys, updateConversation, usersQuery } from "@/lib/client/queries";
import type { ConversationDto, ConversationStatus } from "@/lib/client/types";
import { useShortcut } from "@/lib/client/use-shortcut";
import { LabelPicker } from "./label-picker";
import { SnoozeMenu } from "./snooze-menu";

const statusOptions: { value: ConversationStatus; label: string; dot: string }[] = [
  { value: "open", label: "Open", dot: "bg-emerald-500" },
  { value: "pending", label: "Pending", dot: "bg-amber-500" },
  { value: "snoozed", label: "Snoozed", dot: "bg-sky-500" },
  { value: "resolved", label: "Resolved", dot: "bg-zinc-400" },
];

const menuButtonClass =
  "inline-flex h-8 items-center gap-1 rounded-lg border border-zinc-200 bg-white px-2.5 text-sm text-zinc-800 shadow-xs hover:border-zinc-300";
const selectClass =
  "h-8 appearance-none rounded-lg border border-zinc-200 bg-white py-1 pr-7 text-sm text-zinc-800 shadow-xs hover:border-zinc-300 focus:border-emerald-600 focus:ring-2 focus:ring-emerald-100 focus:outline-none focus-visible:outline-none disabled:opacity-60";

/**
 * Status (with snooze), assignee and labels of the open conversation; the change shows at once and
 * every list follows. Shortcuts: `e` resolves, `a` assigns it to the current user.
 */
export function ConversationControls({
  conversation,
  currentUserId,
  isAdmin,
  onError,
}: {
  conversation: ConversationDto;
  currentUserId: string;
  isAdmin: boolean;
  onError: (message: string | null) => void;
}) {
  const queryClient = useQueryClient();
  const users = useQuery(usersQuery());
  const statusId = useId();
  const assigneeId = useId();
  const detailKey = queryKeys.conversation(conversation.id);

  const update = useMutation({
    mutationKey: conversationUpdateKey(conversation.id),
    mutationFn: (patch: ConversationPatch) => updateConversation(conversation.id, patch),
    onMutate: async (patch) => {
      onError(null);
      await queryClient.cancelQueries({ queryKey: detailKey });
      const previous = queryClient.getQueryData<ConversationDto>(detailKey);
      const assigneeName =
        patch.assigneeId === undefined
          ? undefined
          : patch.assigneeId === null
            ? null
            : (users.data?.find((u) => u.id === patch.assigneeId)?.name ?? null);
      const snoozedUntil = patch.status ? (patch.snoozedUntil ?? null) : undefined;
      queryClient.setQueryData<ConversationDto>(detailKey, (c) =>
        c
          ? {
              ...c,
              ...patch,
              ...(assigneeName !== undefined ? { assigneeName } : {}),
              ...(snoozedUntil !== undefined ? { snoozedUntil } : {}),
            }
          : c,
      );
      return { previous };
    },
    onError: (error, _patch, context) => {
      if (context?.previous) queryClient.setQueryData(detailKey, context.previous);
      onError(`Not saved: ${error.message}`);
    },
    // Rows in lists whose filters it still matches change in place until the refetch settles it.
    onSuccess: (updated) => redrawConversation(queryClient, updated.id, () => updated),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists }),
  });

  useShortcut(["e", "a"], (event) => {
    event.preventDefault();
    if (event.key === "e" && conversation.status !== "resolved") update.mutate({ status: "resolved" });
    if (event.key === "a" && conversation.assigneeId !== currentUserId) update.mutate({ assigneeId: currentUserId });
  });

  const status = statusOptions.find((s) => s.value === conversation.status) ?? statusOptions[0];
  const teammates = users.data ?? [];
  const isAssigneeKnown = !conversation.assigneeId || teammates.some((u) => u.id === conversation.assigneeId);

  return (
    <div className="flex min-w-0 flex-wrap items-center gap-1.5 max-[360px]:gap-1 sm:gap-2">
      <div className="relative">
        <label htmlFor={statusId} className="sr-only">
          Conversation status
        </label>
        <span
          className={`pointer-events-none absolute top-1/2 left-2.5 size-2 -translate-y-1/2 rounded-full ${status?.dot}`}
          aria-hidden="true"
        />
        <select
          id={statusId}
          value={conversation.status}
          onChange={(event) => update.mutate({ status: event.target.value as ConversationStatus })}
          className={`${selectClass} pl-6 font-medium`}
        >
          {statusOptions
            // Snoozing needs a time: it is chosen in the Snooze menu.
            .filter((option) => option.value !== "snoozed" || conversation.status === "snoozed")
            .map((option) => (
              <option key={option.value} value={option.value}>
                {option.value === "snoozed" && conversation.snoozedUntil
                  ? `Snoozed until ${formatDateTime(conversation.snoozedUntil)}`
                  : option.label}
              </option>
            ))}
        </select>
        <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2 size-3.5 -translate-y-1/2 text-zinc-500" />
      </div>
      <SnoozeMenu
        buttonClassName={menuButtonClass}
        onSnooze={(until) => update.mutate({ status: "snoozed", snoozedUntil: until.toISOString() })}
      />
      <div className="relative min-w-24 flex-1 sm:min-w-0 sm:flex-none">
        <label htmlFor={assigneeId} className="sr-only">
          Assignee
        </label>
        <UserIcon className="pointer-events-none absolute top-1/2 left-2 size-3.5 -translate-y-1/2 text-zinc-400" />
        <select
          id={assigneeId}
          value={conversation.assigneeId ?? ""}
          onChange={(event) => update.mutate({ assigneeId: event.target.value || null })}
          className={`${selectClass} w-full truncate pl-7 sm:max-w-48`}
        >
          <option value="">Unassigned</option>
          {!isAssigneeKnown ? (
            <option value={conversation.assigneeId ?? ""}>{conversation.assigneeName ?? "Former team member"}</option>
          ) : null}
          {teammates.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name}
            </option>
          ))}
        </select>
        <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2 size-3.5 -translate-y-1/2 text-zinc-500" />
      </div>
      <LabelPicker
        buttonClassName={menuButtonClass}
        labelIds={conversation.labelIds}
        isAdmin={isAdmin}
        onChange={(labelIds) => update.mutate({ labelIds })}
      />
    </div>
  );
}
