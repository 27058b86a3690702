"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FormAlert } from "@/components/auth/auth-card";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { apiFetch } from "@/lib/client/api";

const MIN_PASSWORD = 10;

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const [errors, setErrors] = useState<{ name?: string; password?: string; form?: string }>({});
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const found = {
      ...(name ? {} : { name: "Enter your name." }),
      ...(password.length >= MIN_PASSWORD ? {} : { password: `Use at least ${MIN_PASSWORD} characters.` }),
    };
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    setIsPending(true);
    try {
      await apiFetch("/api/invites/accept", { method: "POST", body: { token, name, password } });
    } catch (error) {
      setIsPending(false);
      setErrors({ form: error instanceof Error ? error.message : "Joining did not work." });
      return;
    }
    const result = await signIn("credentials", { email, password, redirect: false });
    window.location.assign(result?.ok && !result.error ? "/inbox" : "/login");
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {errors.form ? <FormAlert>{errors.form}</FormAlert> : null}
      <TextField label="Email" name="email" type="email" autoComplete="username" value={email} readOnly />
      <TextField label="Name" name="name" autoComplete="name" required autoFocus error={errors.name} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD}
        hint={`At least ${MIN_PASSWORD} characters.`}
        error={errors.password}
      />
      <Button type="submit" disabled={isPending} className="w-full">
        {isPending ? "Joining…" : "Join the team"}
      </Button>
    </form>
  );
}
