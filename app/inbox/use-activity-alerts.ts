"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { contactName } from "@/lib/client/format";
import { conversationQuery, mentionsQuery, notificationSettingsQuery } from "@/lib/client/queries";
import { useRealtimeSocket } from "@/lib/client/realtime-context";
import type { ConversationDto, NotificationSettingsDto } from "@/lib/client/types";
import { stripWhatsAppFormatting } from "@/lib/client/whatsapp-format";
import type { ActivityNotice } from "@/lib/realtime/events";

export type Alert = { id: string; conversationId: string; title: string; body: string };

const ALERT_MS = 8_000;

function titleOf(notice: ActivityNotice, settings: NotificationSettingsDto, me: string): string | null {
  if (notice.actorId === me) return null;
  if (notice.kind === "mention")
    return notice.mentionedIds?.includes(me) && settings.mentioned ? "Mentioned you in a note" : null;
  if (notice.kind === "assigned") return notice.assigneeId === me && settings.assignedToMe ? "Assigned to you" : null;
  if (notice.kind === "new_conversation") return settings.newConversation ? "New conversation" : null;
  return notice.assigneeId === me && settings.assignedMessage ? "New message in your conversation" : null;
}

/** A short two-tone chime; no audio file to ship. Browsers allow it after the first interaction. */
function chime() {
  try {
    const audio = new AudioContext();
    for (const [i, frequency] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.08, audio.currentTime + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + i * 0.12 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + i * 0.12);
      osc.stop(audio.currentTime + i * 0.12 + 0.25);
    }
    setTimeout(() => void audio.close(), 1_000);
  } catch {
    // No audio output: the visual alert is enough.
  }
}

type MentionText = { conversationId: string; text: string | null };

/** At most this many alerts are on screen, so a burst reads only the newest few conversations. */
const ALERTS_SHOWN = 3;
/** Pause between two reads of a burst: alerts come one after another, and cost a few requests a second. */
const ALERT_GAP_MS = 250;

type Pending = { notice: ActivityNotice; title: string; mentions: Promise<MentionText[]> | null };

/**
 * Turns activity notices into alerts for one user's settings: the alert's text comes from the
 * JSON API (the conversation, or the note for a mention), so a deleted message is never shown.
 * Reads go one at a time, for the newest notices only: a burst of new conversations (hundreds a
 * second under load) read one each, and those requests starved the web process that acknowledges
 * webhooks.
 */
export function createAlertFeed(deps: {
  me: string;
  settings: NotificationSettingsDto;
  conversation: (conversationId: string) => Promise<ConversationDto | null>;
  mentions: () => Promise<MentionText[]>;
  show: (alert: Alert) => void;
}) {
  const queue = new Map<string, Pending>();
  let reading = false;

  const showOne = async ({ notice, title, mentions }: Pending) => {
    const conversation = await deps.conversation(notice.conversationId);
    if (!conversation) return;
    const text = mentions
      ? (await mentions).find((m) => m.conversationId === notice.conversationId)?.text
      : conversation.lastMessagePreview;
    deps.show({
      id: `${notice.conversationId}:${Date.now()}`,
      conversationId: notice.conversationId,
      title,
      body: `${contactName(conversation)}${text ? `: ${stripWhatsAppFormatting(text)}` : ""}`,
    });
  };

  const readQueue = async () => {
    if (reading) return;
    reading = true;
    try {
      for (let next = queue.values().next().value; next; next = queue.values().next().value) {
        queue.delete(next.notice.conversationId);
        await showOne(next);
        if (queue.size) await new Promise((r) => setTimeout(r, ALERT_GAP_MS));
      }
    } finally {
      reading = false;
    }
  };

  return (notice: ActivityNotice) => {
    const isMentioned = notice.kind === "mention" && notice.mentionedIds?.includes(deps.me) === true;
    // The mention is listed until read, whether or not an alert is shown; reading it may follow at
    // once (the thread is open), so the alert takes the note's text from this same fetch.
    const mentions = isMentioned ? deps.mentions() : null;
    const title = titleOf(notice, deps.settings, deps.me);
    if (!title) return;
    // Newest last; a conversation's newer notice replaces its older one.
    queue.delete(notice.conversationId);
    queue.set(notice.conversationId, { notice, title, mentions });
    for (const id of queue.keys()) if (queue.size > ALERTS_SHOWN) queue.delete(id);
    void readQueue();
  };
}

/** Alerts in the page by the user's settings, plus a sound and a desktop notification when turned on. */
export function useActivityAlerts(me: string, onOpen: (conversationId: string) => void) {
  const socket = useRealtimeSocket();
  const queryClient = useQueryClient();
  const settings = useQuery(notificationSettingsQuery());
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const openRef = useRef(onOpen);
  openRef.current = onOpen;

  const dismiss = useCallback((id: string) => setAlerts((list) => list.filter((a) => a.id !== id)), []);

  useEffect(() => {
    const current = settings.data;
    if (!socket || !current) return;
    const onActivity = createAlertFeed({
      me,
      settings: current,
      conversation: (id) => queryClient.fetchQuery({ ...conversationQuery(id), staleTime: 0 }).catch(() => null),
      mentions: () => queryClient.fetchQuery({ ...mentionsQuery(), staleTime: 0 }).catch(() => []),
      show(alert) {
        setAlerts((list) => [...list.filter((a) => a.conversationId !== alert.conversationId), alert].slice(-3));
        setTimeout(() => dismiss(alert.id), ALERT_MS);
        if (current.sound) chime();
        if (current.desktop && typeof Notification !== "undefined" && Notification.permission === "granted" && document.hidden) {
          const desktop = new Notification(alert.title, { body: alert.body, tag: alert.conversationId });
          desktop.onclick = () => {
            window.focus();
            openRef.current(alert.conversationId);
          };
        }
      },
    });
    socket.on("conversation:activity", onActivity);
    return () => {
      socket.off("conversation:activity", onActivity);
    };
  }, [socket, settings.data, me, queryClient, dismiss]);

  return { alerts, dismiss };
}
