"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { type FormEvent, type ReactNode, useState } from "react";
import { FormAlert } from "@/components/auth/auth-card";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { apiFetch, isApiError } from "@/lib/client/api";

type Field = "name" | "email" | "password";
type Errors = Partial<Record<Field, string>> & { form?: ReactNode };

const MIN_PASSWORD = 10;

function validate(input: Record<Field, string>): Errors {
  const errors: Errors = {};
  if (!input.name.trim()) errors.name = "Enter a name.";
  if (!/^[^\s@]+@[^\s@]+$/.test(input.email.trim())) errors.email = "Enter a valid email address.";
  if (input.password.length < MIN_PASSWORD) errors.password = `Use at least ${MIN_PASSWORD} characters.`;
  return errors;
}

/** The API says `Invalid body: password: Use at least 10 characters`; show it next to its field. */
function fieldErrorOf(message: string): Errors | null {
  const match = /^Invalid body: (name|email|password): (.+)$/.exec(message);
  return match ? { [match[1] as Field]: match[2] } : null;
}

export function SetupForm() {
  const [errors, setErrors] = useState<Errors>({});
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    const found = validate(input);
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    setIsPending(true);
    try {
      await apiFetch("/api/setup", { method: "POST", body: input });
    } catch (error) {
      setIsPending(false);
      if (isApiError(error, "CONFLICT")) {
        setErrors({
          form: (
            <>
              {error.message}{" "}
              <Link href="/login" className="font-medium underline">
                Go to sign in
              </Link>
            </>
          ),
        });
      } else if (isApiError(error, "VALIDATION")) {
        setErrors(fieldErrorOf(error.message) ?? { form: error.message });
      } else {
        setErrors({ form: error instanceof Error ? error.message : "Creating the admin did not work." });
      }
      return;
    }

    const result = await signIn("credentials", { email: input.email.trim(), password: input.password, redirect: false });
    window.location.assign(result?.ok && !result.error ? "/inbox" : "/login");
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {errors.form ? <FormAlert>{errors.form}</FormAlert> : null}
      <TextField label="Name" name="name" autoComplete="name" required autoFocus error={errors.name} />
      <TextField label="Email" name="email" type="email" autoComplete="username" required error={errors.email} />
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
        {isPending ? "Creating admin…" : "Create admin"}
      </Button>
    </form>
  );
}
