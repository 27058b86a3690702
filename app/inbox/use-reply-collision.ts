"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { messagesQuery } from "@/lib/client/queries";
import type { MessageDto } from "@/lib/client/types";

export type Collision = { messageId: string; author: string; text: string | null };

const isReplyByOthers = (m: MessageDto, userId: string) =>
  m.direction === "outbound" && (m.origin === "phone" || (m.origin === "agent" && m.authorUserId !== userId));

/**
 * While a draft is open, a reply that someone else sends (a teammate, or the owner from the phone)
 * is announced, so the agent reads it before sending theirs. Compares against the replies known
 * when the draft was started; the thread's own query keeps the data fresh.
 */
export function useReplyCollision(conversationId: string, draft: string, userId: string) {
  const messages = useInfiniteQuery({ ...messagesQuery(conversationId), enabled: false });
  const known = useRef<Set<string> | null>(null);
  const [collision, setCollision] = useState<Collision | null>(null);
  const hasDraft = draft.trim().length > 0;
  const all = useMemo(() => messages.data?.pages.flatMap((p) => p.messages), [messages.data]);

  useEffect(() => {
    if (!hasDraft) {
      known.current = null;
      setCollision(null);
      return;
    }
    if (!all) return;
    if (!known.current) {
      known.current = new Set(all.map((m) => m.id));
      return;
    }
    const fresh = all.find((m) => !known.current?.has(m.id) && isReplyByOthers(m, userId));
    if (fresh) {
      setCollision((current) =>
        current?.messageId === fresh.id
          ? current
          : {
              messageId: fresh.id,
              author: fresh.origin === "phone" ? "The WhatsApp Business app" : (fresh.authorName ?? "A teammate"),
              text: fresh.deletedAt ? null : (fresh.editedBody ?? fresh.body),
            },
      );
    }
  }, [hasDraft, all, userId]);

  return {
    collision,
    dismiss: () => {
      known.current = all ? new Set(all.map((m) => m.id)) : null;
      setCollision(null);
    },
  };
}
