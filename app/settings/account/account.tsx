"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { type FormEvent, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { changeOwnPassword, notificationSettingsQuery, queryKeys, updateNotificationSettings } from "@/lib/client/queries";
import type { NotificationSettingsDto } from "@/lib/client/types";

const alertKinds: { key: keyof NotificationSettingsDto; label: string }[] = [
  { key: "newConversation", label: "A new conversation starts on one of my numbers" },
  { key: "assignedMessage", label: "A customer writes in a conversation assigned to me" },
  { key: "assignedToMe", label: "A conversation is assigned to me" },
  { key: "mentioned", label: "A teammate mentions me in a note" },
];

function Toggle({ label, checked, onChange }: { label: string; checked: boolean; onChange: (value: boolean) => void }) {
  return (
    <label className="flex cursor-pointer items-start gap-3 py-2 text-sm text-zinc-800">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="mt-0.5 size-4 accent-emerald-700"
      />
      {label}
    </label>
  );
}

function Notifications() {
  const queryClient = useQueryClient();
  const settings = useQuery(notificationSettingsQuery());
  const [permission, setPermission] = useState<NotificationPermission | "unsupported">("default");
  useEffect(() => setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission), []);
  const save = useMutation({
    mutationFn: updateNotificationSettings,
    onSuccess: (next) => queryClient.setQueryData(queryKeys.notificationSettings, next),
  });
  const s = settings.data;

  async function setDesktop(value: boolean) {
    if (value && permission === "default") setPermission(await Notification.requestPermission());
    save.mutate({ desktop: value });
  }

  return (
    <section aria-labelledby="alerts-title" className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-xs">
      <h2 id="alerts-title" className="text-sm font-semibold text-zinc-900">
        Notifications
      </h2>
      <p className="mt-1 text-sm text-zinc-600">
        Alerts appear in the inbox; a sound and a desktop notification can come with them.
      </p>
      {s ? (
        <div className="mt-3 divide-y divide-zinc-100">
          <fieldset className="pb-2">
            <legend className="sr-only">Alert me when</legend>
            {alertKinds.map((kind) => (
              <Toggle
                key={kind.key}
                label={kind.label}
                checked={s[kind.key]}
                onChange={(value) => save.mutate({ [kind.key]: value })}
              />
            ))}
          </fieldset>
          <div className="pt-2">
            <Toggle label="Play a sound" checked={s.sound} onChange={(value) => save.mutate({ sound: value })} />
            <Toggle
              label="Show a desktop notification when Tandem is in the background"
              checked={s.desktop}
              onChange={setDesktop}
            />
            {s.desktop && permission === "denied" ? (
              <p className="ml-7 text-xs text-amber-800">
                Your browser blocks notifications for this site; allow them in its site settings.
              </p>
            ) : null}
            {permission === "unsupported" ? (
              <p className="ml-7 text-xs text-zinc-500">This browser cannot show desktop notifications.</p>
            ) : null}
          </div>
        </div>
      ) : (
        <div className="mt-3 h-40 animate-pulse rounded-lg bg-zinc-100" />
      )}
      {save.isError ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          Not saved: {save.error.message}
        </p>
      ) : null}
    </section>
  );
}

function Password() {
  const change = useMutation({
    mutationFn: changeOwnPassword,
    onSuccess: async () => {
      // Every session ended with the change, this one too: sign in again with the new password.
      await signOut({ redirect: false }).catch(() => {});
      window.location.assign("/login");
    },
  });
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    change.mutate({ currentPassword: String(form.get("current") ?? ""), newPassword: String(form.get("new") ?? "") });
  }
  return (
    <section aria-labelledby="password-title" className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-xs">
      <h2 id="password-title" className="text-sm font-semibold text-zinc-900">
        Password
      </h2>
      <form onSubmit={onSubmit} className="mt-3 max-w-sm space-y-4">
        <TextField label="Current password" name="current" type="password" autoComplete="current-password" required />
        <TextField
          label="New password"
          name="new"
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          hint="At least 10 characters. You will sign in again everywhere."
        />
        {change.isError ? (
          <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {change.error.message}
          </p>
        ) : null}
        <Button type="submit" disabled={change.isPending}>
          Change password
        </Button>
      </form>
    </section>
  );
}

/** Settings > Account: the signed-in user's alerts and password. */
export function Account() {
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold text-zinc-900">Account</h1>
      <Notifications />
      <Password />
    </div>
  );
}
