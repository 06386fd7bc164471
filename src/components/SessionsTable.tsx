import { useId, useState } from "react";
import { authClient } from "../client/auth-client";
import type { SessionRow } from "../server/fns/security";
import { LastActive } from "./LastActive";

const quiet =
  "rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

/**
 * The "Sessions" table of /settings/security: where you are signed in
 * (browser and system, address, last active), this device marked. "Sign
 * out" ends one session and "Sign out everywhere else" all but this one;
 * both go through /api/auth, which closes the ended sessions' sockets on
 * every instance at once. `onChanged` reloads the list.
 */
export function SessionsTable({
  sessions,
  onChanged,
}: {
  sessions: SessionRow[];
  onChanged: () => Promise<void>;
}) {
  const captionId = useId();
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const others = sessions.filter((session) => !session.current).length;

  async function act(work: () => Promise<{ error: unknown }>, done: string) {
    setBusy(true);
    setMessage("");
    try {
      const { error } = await work();
      if (error) {
        setMessage("Not signed out: try again.");
        return;
      }
      await onChanged();
      setMessage(done);
    } catch {
      setMessage("Not signed out: check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="overflow-x-auto">
        <table aria-labelledby={captionId} className="w-full text-left text-sm">
          <caption id={captionId} className="sr-only">
            Sessions
          </caption>
          <thead className="border-b border-slate-200 text-slate-700">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">
                Device
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                IP address
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Last active
              </th>
              <th scope="col" className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session, index) => (
              <tr key={session.token} className="border-b border-slate-100 text-slate-900">
                <th id={`${captionId}-${index}`} scope="row" className="py-2 pr-3 font-normal">
                  {session.browser} on {session.os}
                  {session.current && (
                    <span className="ml-2 rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-900">
                      This device
                    </span>
                  )}
                </th>
                <td className="py-2 pr-3 font-mono text-xs">{session.ip || "unknown"}</td>
                <td className="py-2 pr-3">
                  <LastActive iso={session.lastActive} />
                </td>
                <td className="py-2">
                  {!session.current && (
                    <button
                      type="button"
                      disabled={busy}
                      aria-describedby={`${captionId}-${index}`}
                      className={quiet}
                      onClick={() =>
                        void act(
                          () => authClient.revokeSession({ token: session.token }),
                          `Signed out ${session.browser} on ${session.os}.`,
                        )
                      }
                    >
                      Sign out
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={busy || others === 0}
          className={quiet}
          onClick={() =>
            void act(() => authClient.revokeOtherSessions(), "Signed out everywhere else.")
          }
        >
          Sign out everywhere else
        </button>
        <p aria-live="polite" className="text-sm text-slate-700">
          {message}
        </p>
      </div>
    </div>
  );
}
