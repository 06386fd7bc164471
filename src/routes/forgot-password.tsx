import { createFileRoute, Link } from "@tanstack/react-router";
import { type FormEvent, useId, useState } from "react";
import { authClient } from "../client/auth-client";
import { AuthCard, fieldClass, linkClass, submitClass } from "../components/AuthCard";
import { mailStatusFn } from "../server/fns/invites";

// Issue 14: asks for a reset link. The answer is the same whether or not
// an account uses the email; without SMTP the link is in the server's log.
export const Route = createFileRoute("/forgot-password")({
  loader: () => mailStatusFn(),
  head: () => ({ meta: [{ title: "Forgot password · Parley" }] }),
  component: ForgotPassword,
});

export const SENT_TEXT =
  "If an account uses this email, a link to set a new password is on its way. It works for one hour.";
export const NO_MAIL_TEXT =
  "This server sends no email. If an account uses this email, an admin can find its reset link in the server log: ask an admin for it. It works for one hour.";

function ForgotPassword() {
  const { mail } = Route.useLoaderData();
  const id = useId();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      setError("Enter a valid email address.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { error: failed } = await authClient.requestPasswordReset({
        email,
        redirectTo: "/reset-password",
      });
      if (failed) setError(failed.message || "Something went wrong. Try again.");
      else setSent(true);
    } catch {
      setError("Something went wrong. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Forgot your password?">
      {sent ? (
        <p role="status" className="text-slate-700">
          {mail ? SENT_TEXT : NO_MAIL_TEXT}
        </p>
      ) : (
        <form method="post" onSubmit={submit} noValidate className="space-y-4">
          <p className="text-sm text-slate-600">
            {mail
              ? "Enter your account's email and we will send you a link to set a new password."
              : "This server sends no email: after you send, ask an admin for your reset link."}
          </p>
          <div className="space-y-1">
            <label htmlFor={`${id}-email`} className="block text-sm font-medium">
              Email
            </label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              autoComplete="email"
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              className={fieldClass}
            />
            {error && (
              <p id={`${id}-error`} role="alert" className="text-sm text-red-600">
                {error}
              </p>
            )}
          </div>
          <button type="submit" disabled={busy} className={submitClass}>
            Send reset link
          </button>
        </form>
      )}
      <p className="text-center text-sm text-slate-600">
        <Link to="/sign-in" className={linkClass}>
          Back to sign in
        </Link>
      </p>
    </AuthCard>
  );
}
