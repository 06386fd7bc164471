import { useNavigate, useRouter } from "@tanstack/react-router";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { focusComposerOnArrival } from "../client/arrival-focus";
import { authClient } from "../client/auth-client";
import {
  challengeEnded,
  cleanCode,
  cleanRecoveryCode,
  twoFactorError,
} from "../client/two-factor-errors";
import { landingFor } from "../core/safe-next";

/** Whether a sign-in answer asks for the second factor (better-auth's twoFactor plugin). */
export function needsSecondFactor(data: unknown): boolean {
  return typeof data === "object" && data !== null && "twoFactorRedirect" in data;
}

/**
 * The second step of signing in with two-factor on: the "Authentication
 * code" from the app, or "Use a recovery code instead". The password step
 * left a short-lived challenge cookie (10 minutes, five wrong codes); when
 * it is gone, `onRestart` shows the password step again.
 */
export function TwoFactorSignIn({ next, onRestart }: { next?: string; onRestart: () => void }) {
  const id = useId();
  const navigate = useNavigate();
  const router = useRouter();
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState("");
  const [ended, setEnded] = useState(false);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // The field takes focus when the step appears and when the kind of code changes.
  useEffect(() => {
    void recovery;
    input.current?.focus();
  }, [recovery]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget).get("code") ?? "");
    const code = recovery ? cleanRecoveryCode(typed) : cleanCode(typed);
    if (!code) {
      setError(recovery ? "Enter a recovery code." : "Enter the code from your authenticator app.");
      return;
    }
    setBusy(true);
    setError("");
    try {
      const { error } = recovery
        ? await authClient.twoFactor.verifyBackupCode({ code })
        : await authClient.twoFactor.verifyTotp({ code });
      if (error) {
        setError(twoFactorError(error));
        if (challengeEnded(error)) setEnded(true);
        return;
      }
      focusComposerOnArrival();
      await router.invalidate();
      await navigate({ href: landingFor(next), replace: true });
    } catch {
      setError("Something went wrong. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const label = recovery ? "Recovery code" : "Authentication code";
  const errorId = `${id}-error`;
  return (
    <main className="flex min-h-full items-center justify-center p-4">
      <form
        method="post"
        onSubmit={submit}
        noValidate
        className="w-full max-w-sm space-y-4 rounded-2xl bg-white p-8 shadow-sm ring-1 ring-slate-200"
      >
        <h1 className="text-2xl font-semibold">Two-factor authentication</h1>
        <p className="text-sm text-slate-700">
          {recovery
            ? "Enter one of the recovery codes you saved when you set up two-factor authentication. Each works once."
            : "Enter the 6-digit code your authenticator app shows for Parley."}
        </p>
        <div className="space-y-1">
          <label htmlFor={`${id}-code`} className="block text-sm font-medium">
            {label}
          </label>
          <input
            key={label}
            ref={input}
            id={`${id}-code`}
            name="code"
            inputMode={recovery ? "text" : "numeric"}
            autoComplete={recovery ? "off" : "one-time-code"}
            spellCheck={false}
            autoCapitalize="none"
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            className="w-full rounded-lg border border-slate-300 px-3 py-2 font-mono outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
          />
          {error && (
            <p id={errorId} role="alert" className="text-sm text-red-600">
              {error}
            </p>
          )}
        </div>
        {ended ? (
          <button
            type="button"
            onClick={onRestart}
            className="w-full rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700"
          >
            Sign in again
          </button>
        ) : (
          <button
            type="submit"
            disabled={busy}
            className="w-full rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            Verify
          </button>
        )}
        <p className="text-center text-sm">
          <button
            type="button"
            onClick={() => {
              setRecovery(!recovery);
              setError("");
            }}
            className="font-medium text-indigo-600 hover:underline"
          >
            {recovery ? "Use an authentication code instead" : "Use a recovery code instead"}
          </button>
        </p>
      </form>
    </main>
  );
}
