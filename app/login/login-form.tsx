"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { FormAlert } from "@/components/auth/auth-card";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError("Enter your email and password.");
      return;
    }
    setIsPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (result?.ok && !result.error) {
        // A full load so the server components see the new session cookie.
        window.location.assign(callbackUrl);
        return;
      }
      setError(
        result?.error === "CredentialsSignin"
          ? "That email and password do not match an active account."
          : "Signing in did not work. Try again in a moment.",
      );
    } catch {
      setError("Tandem could not be reached. Check your connection and try again.");
    }
    setIsPending(false);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <FormAlert>{error}</FormAlert> : null}
      <TextField label="Email" name="email" type="email" autoComplete="username" required autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" disabled={isPending} className="w-full">
        {isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
