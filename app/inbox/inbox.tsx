"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type DemoInfo, type SessionUser, TopBar } from "@/components/shell/top-bar";
import { numbersQuery } from "@/lib/client/queries";
import { RealtimeSocketContext } from "@/lib/client/realtime-context";
import { useRealtime } from "@/lib/client/use-realtime";
import { useShortcut } from "@/lib/client/use-shortcut";
import { InboxAlerts } from "./activity-alerts";
import { ConversationList } from "./conversation-list";
import { NavPane } from "./nav-pane";
import { Thread } from "./thread";
import { useContactPanel } from "./use-contact-panel";
import { useInboxParams } from "./use-inbox-params";

/** While the socket is down, poll so nothing is missed; the realtime hook catches up on reconnect. */
const FALLBACK_POLL_MS = 15_000;

export function Inbox({ user, demo, historyStaleAfterMs }: { user: SessionUser; demo: DemoInfo; historyStaleAfterMs: number }) {
  const { params, hrefFor, navigate } = useInboxParams();
  const { status: realtime, socket } = useRealtime(params.conversationId, user.id);
  const pollMs = realtime === "live" ? false : FALLBACK_POLL_MS;
  const numbers = useQuery({ ...numbersQuery(), refetchInterval: pollMs });
  // Narrow screens show one pane at a time: the thread when one is open, else the list or the filters.
  const [isNavOpen, setNavOpen] = useState(false);
  const pane = params.conversationId ? "thread" : isNavOpen ? "nav" : "list";
  const contactPanel = useContactPanel();
  // Beside an open contact panel, the side panes stay narrow until the screen is really wide.
  // Escape closes what covers the list: the filters pane on a phone (the contact sheet is a modal dialog).
  useShortcut(["Escape"], () => setNavOpen(false), isNavOpen);
  const isPanelBeside = contactPanel.mode === "aside" && contactPanel.isOpen && params.conversationId !== null;

  return (
    <RealtimeSocketContext value={socket}>
      <div className="flex h-dvh flex-col overflow-hidden bg-zinc-50">
        <a
          href="#conversations"
          className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-zinc-900 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to conversations
        </a>
        <TopBar user={user} demo={demo} realtime={realtime} current="/inbox" />
        <main
          className={`flex min-h-0 flex-1 lg:grid lg:grid-cols-[13rem_20rem_minmax(0,1fr)] ${
            isPanelBeside ? "2xl:grid-cols-[15rem_24rem_minmax(0,1fr)]" : "xl:grid-cols-[15rem_24rem_minmax(0,1fr)]"
          }`}
        >
          <NavPane
            className={pane === "nav" ? "flex" : "hidden lg:flex"}
            role={user.role}
            numbers={numbers}
            historyStaleAfterMs={historyStaleAfterMs}
            params={params}
            hrefFor={hrefFor}
            onNavigate={(patch) => {
              navigate(patch);
              setNavOpen(false);
            }}
            onClose={() => setNavOpen(false)}
          />
          <ConversationList
            className={pane === "list" ? "flex" : "hidden lg:flex"}
            params={params}
            numbers={numbers.data ?? []}
            hrefFor={hrefFor}
            navigate={navigate}
            pollMs={pollMs}
            onOpenNav={() => setNavOpen(true)}
          />
          <Thread
            className={pane === "thread" ? "flex" : "hidden lg:flex"}
            conversationId={params.conversationId}
            focusMessageId={params.messageId}
            numbers={numbers.data ?? (numbers.isError ? [] : undefined)}
            pollMs={pollMs}
            user={user}
            contactPanel={contactPanel}
            onBack={() => navigate({ c: null, m: null })}
          />
        </main>
        <InboxAlerts userId={user.id} pollMs={pollMs} onOpen={(c) => navigate({ c })} />
      </div>
    </RealtimeSocketContext>
  );
}
