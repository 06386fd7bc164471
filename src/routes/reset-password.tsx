import { createFileRoute, Link } from "@tanstack/react-router";
import { type FormEvent, useId, useState } from "react";
import { authClient } from "../client/auth-client";
import { AuthCard, fieldClass, linkClass, submitClass } from "../components/AuthCard";

// Issue 14: the reset link lands here (through better-auth's check of the
// token) with ?token=, or ?error=INVALID_TOKEN when it expired or was used.
/** As the server's rule (auth.server.ts MIN_PASSWORD_LENGTH). */
const MIN_PASSWORD_LENGTH = 8;

type Search = { token?: string; error?: string };

export const Route = createFileRoute("/reset-password")({
  validateSearch: (search: Record<string, unknown>): Search => ({
    ...(typeof search.token === "string" && search.token && { token: search.token }),
    ...(typeof search.error === "string" && search.error && { error: search.error }),
  }),
  head: () => ({ meta: [{ title: "Set a new password · Parley" }] }),
  component: ResetPassword,
});

const EXPIRED_TEXT =
  "This reset link has expired or was used already. Ask for a new one: a link works once, for one hour.";

function ResetPassword() {
  const { token, error: linkError } = Route.useSearch();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [dead, setDead] = useState(Boolean(linkError) || !token);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    if (password.length < MIN_PASSWORD_LENGTH) {
      setError(`Password is too short (${MIN_PASSWORD_LENGTH} characters at least).`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { error: failed } = await authClient.resetPassword({ newPassword: password, token });
      if (!failed) setDone(true);
      else if (failed.code === "INVALID_TOKEN") setDead(true);
      else setError(failed.message || "Something went wrong. Try again.");
    } catch {
      setError("Something went wrong. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <AuthCard title="Your password is set">
        <p role="status" className="text-slate-700">
          You were signed out everywhere. Sign in with your new password.
        </p>
        <p className="text-center text-sm">
          <Link to="/sign-in" className={linkClass}>
            Sign in
          </Link>
        </p>
      </AuthCard>
    );
  }
  if (dead) {
    return (
      <AuthCard title="This link cannot be used">
        <p role="alert" className="text-slate-700">
          {EXPIRED_TEXT}
        </p>
        <p className="text-center text-sm">
          <Link to="/forgot-password" className={linkClass}>
            Ask for a new link
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Set a new password">
      <form method="post" onSubmit={submit} noValidate className="space-y-4">
        <div className="space-y-1">
          <label htmlFor={`${id}-password`} className="block text-sm font-medium">
            New password
          </label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
            className={fieldClass}
          />
          <p id={`${id}-hint`} className="text-sm text-slate-600">
            {MIN_PASSWORD_LENGTH} characters at least. Setting it signs you out everywhere.
          </p>
          {error && (
            <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
              {error}
            </p>
          )}
        </div>
        <button type="submit" disabled={busy} className={submitClass}>
          Set password
        </button>
      </form>
    </AuthCard>
  );
}
