import { Link } from "@tanstack/react-router";
import { useState } from "react";

/** Where the self-export downloads from (server/routes/api/export/me.ts). */
export const SELF_EXPORT_URL = "/api/export/me";

const pageLink =
  "text-sm font-medium text-indigo-700 underline hover:text-indigo-900 focus-visible:outline-2 focus-visible:outline-indigo-600";

/**
 * /settings: the way to the settings pages, and "Your data" (issue 15): a
 * GDPR self-export of one's own profile and messages, as Parley JSONL. The
 * button starts a download (the answer is an attachment, so the page
 * stays); it needs no chat connection.
 */
export function SettingsPage() {
  const [started, setStarted] = useState(false);
  return (
    <div className="flex min-h-full flex-col bg-white">
      <header className="flex items-center gap-2 border-b border-slate-200 px-4 py-2.5">
        <Link to="/" className="text-lg font-bold text-indigo-700 hover:text-indigo-900">
          Parley
        </Link>
      </header>
      <main className="mx-auto flex w-full max-w-3xl flex-col gap-8 px-4 py-6">
        <h1 className="text-xl font-semibold text-slate-900">Settings</h1>
        <nav aria-label="Settings pages">
          <ul className="flex flex-wrap gap-4">
            <li>
              <Link to="/settings/notifications" className={pageLink}>
                Notifications
              </Link>
            </li>
            <li>
              <Link to="/settings/security" className={pageLink}>
                Security
              </Link>
            </li>
          </ul>
        </nav>
        <section aria-labelledby="data-heading" className="flex flex-col gap-3">
          <h2 id="data-heading" className="text-base font-semibold text-slate-900">
            Your data
          </h2>
          <p className="text-sm text-slate-700">
            Download your profile and every message you wrote, in Parley's export format (one JSON
            object a line). Other people's messages are not in it.
          </p>
          <div>
            <button
              type="button"
              className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
              onClick={() => {
                // An attachment: the browser saves it and this page stays.
                window.location.assign(SELF_EXPORT_URL);
                setStarted(true);
              }}
            >
              Export my messages
            </button>
          </div>
          <p role="status" className="min-h-5 text-sm text-slate-700">
            {started ? "Your download has started." : ""}
          </p>
        </section>
      </main>
    </div>
  );
}
