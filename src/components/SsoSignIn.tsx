import { useState } from "react";
import { landingFor } from "../core/safe-next";
import { ssoErrorText } from "../core/sso-errors";
import type { SignInOptions } from "../server/fns/sign-in-options";

type Props = {
  options: SignInOptions;
  /** Where to land after signing in (the page's `next`). */
  next?: string;
  /** The page a failed sign-in comes back to ("/sign-in" or "/sign-up"). */
  returnTo: "/sign-in" | "/sign-up";
  /** The `error` code a failed single sign-on came back with. */
  error?: string;
};

/**
 * Starts single sign-on: asks better-auth for the provider's authorization
 * URL (state, PKCE and nonce made and kept server-side) and goes there.
 */
async function startSso(next: string | undefined, returnTo: string): Promise<string | null> {
  const response = await fetch("/api/auth/sign-in/social", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      provider: "oidc",
      callbackURL: landingFor(next),
      errorCallbackURL: returnTo,
      newUserCallbackURL: landingFor(next),
    }),
  });
  const body = (await response.json().catch(() => ({}))) as { url?: unknown; message?: unknown };
  if (response.ok && typeof body.url === "string") {
    window.location.assign(body.url);
    return null;
  }
  return typeof body.message === "string" ? body.message : "Single sign-on could not start.";
}

/**
 * "Sign in with <PARLEY_OIDC_NAME>" and what went wrong last time, in words.
 * Nothing without single sign-on configured (the error, if any, still shows).
 */
export function SsoSignIn({ options, next, returnTo, error }: Props) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const sso = options.sso;
  const shown = failed ?? (error && sso ? ssoErrorText(error, sso.name) : null);
  if (!sso) return null;
  return (
    <div className="space-y-3">
      {options.passwordLogin && (
        <p className="flex items-center gap-2 text-sm text-slate-600" aria-hidden="true">
          <span className="h-px flex-1 bg-slate-200" />
          or
          <span className="h-px flex-1 bg-slate-200" />
        </p>
      )}
      {shown && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {shown}
        </p>
      )}
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setFailed(null);
          try {
            const problem = await startSso(next, returnTo);
            if (problem) {
              setFailed(problem);
              setBusy(false);
            }
          } catch {
            setFailed("Single sign-on could not start. Check your connection and try again.");
            setBusy(false);
          }
        }}
        className="w-full rounded-lg border border-slate-300 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-50 disabled:opacity-60"
      >
        {`Sign in with ${sso.name}`}
      </button>
    </div>
  );
}

/** The whole card when PARLEY_PASSWORD_LOGIN=off: a title and the single sign-on button. */
export function SsoOnlyCard({ title, ...props }: Props & { title: string }) {
  return (
    <main className="flex min-h-full items-center justify-center p-4">
      <div className="w-full max-w-sm space-y-4 rounded-2xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-2xl font-semibold">{title}</h1>
        <p className="text-sm text-slate-600">
          This server signs people in with single sign-on only.
        </p>
        <SsoSignIn {...props} />
      </div>
    </main>
  );
}
