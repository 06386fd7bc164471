import { Link, useNavigate, useRouter } from "@tanstack/react-router";
import { authClient } from "../client/auth-client";
import { TWO_FACTOR_REQUIRED_TEXT } from "../core/two-factor";
import type { SecurityPage } from "../server/fns/security";
import { SessionsTable } from "./SessionsTable";
import { TwoFactorSettings } from "./TwoFactorSettings";

/**
 * /settings/security (issue 14): two-factor authentication and the
 * sessions. It needs no chat connection: everything goes through
 * /api/auth, and the data is the route's loader's (reloaded after a change).
 */
export function SecuritySettingsPage({ data }: { data: SecurityPage }) {
  const router = useRouter();
  const navigate = useNavigate();
  const reload = () => router.invalidate();

  async function signOut() {
    await authClient.signOut();
    await router.invalidate();
    await navigate({ to: "/sign-in" });
  }

  return (
    <div className="flex min-h-full flex-col bg-white">
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
        {data.mustSetUp ? (
          <span className="text-lg font-bold text-indigo-700">Parley</span>
        ) : (
          <Link to="/" className="text-lg font-bold text-indigo-700 hover:text-indigo-900">
            Parley
          </Link>
        )}
        <button
          type="button"
          onClick={() => void signOut()}
          className="rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Sign out
        </button>
      </header>
      <main className="mx-auto flex w-full max-w-3xl flex-col gap-8 px-4 py-6">
        <h1 className="text-xl font-semibold text-slate-900">Security</h1>
        {data.mustSetUp && (
          <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            {TWO_FACTOR_REQUIRED_TEXT}
          </p>
        )}
        <section aria-labelledby="two-factor-heading" className="flex flex-col gap-3">
          <h2 id="two-factor-heading" className="text-base font-semibold text-slate-900">
            Two-factor authentication
          </h2>
          <TwoFactorSettings
            enabled={data.twoFactorEnabled}
            hasPassword={data.hasPassword}
            onChanged={reload}
          />
        </section>
        <section aria-labelledby="sessions-heading" className="flex flex-col gap-3">
          <h2 id="sessions-heading" className="text-base font-semibold text-slate-900">
            Where you are signed in
          </h2>
          <SessionsTable sessions={data.sessions} onChanged={reload} />
        </section>
      </main>
    </div>
  );
}
