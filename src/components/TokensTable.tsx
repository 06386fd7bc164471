import { useId, useState } from "react";
import type { TokenInfo } from "../server/fns/tokens";
import { Modal } from "./Modal";

const quiet =
  "rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
const danger =
  "rounded-md bg-red-700 px-3 py-1 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-60";

/** A date as the table shows it (the viewer's locale); "Never" for none. */
function shown(ms: number | null, none = "Never"): string {
  return ms === null ? none : new Date(ms).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/**
 * The table "Tokens" (issue 15): name, scopes, created, expires, last
 * used, and "Revoke" per row, confirmed in a dialog. Used by
 * /settings/tokens and, per bot, by /admin/bots (`label` names it then).
 */
export function TokensTable({
  tokens,
  revoke,
  label = "Tokens",
}: {
  tokens: TokenInfo[];
  revoke: (id: string) => Promise<{ ok: true } | { ok: false; error: string }>;
  label?: string;
}) {
  const captionId = useId();
  const [confirming, setConfirming] = useState<TokenInfo | null>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const now = Date.now();

  async function confirm(token: TokenInfo) {
    setBusy(true);
    try {
      const answer = await revoke(token.id);
      setMessage(answer.ok ? `Revoked ${token.name}.` : answer.error);
    } catch {
      setMessage("Not revoked: check your connection and try again.");
    } finally {
      setBusy(false);
      setConfirming(null);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="overflow-x-auto">
        <table aria-labelledby={captionId} className="w-full text-left text-sm">
          <caption id={captionId} className="sr-only">
            {label}
          </caption>
          <thead className="border-b border-slate-200 text-slate-700">
            <tr>
              {["Name", "Scopes", "Created", "Expires", "Last used"].map((h) => (
                <th key={h} scope="col" className="py-2 pr-3 font-medium">
                  {h}
                </th>
              ))}
              <th scope="col" className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 && (
              <tr>
                <td colSpan={6} className="py-2 text-slate-700">
                  No tokens yet.
                </td>
              </tr>
            )}
            {tokens.map((token) => {
              const expired = token.expiresAt !== null && token.expiresAt <= now;
              return (
                <tr key={token.id} className="border-b border-slate-100 text-slate-900">
                  <th id={`${captionId}-${token.id}`} scope="row" className="py-2 pr-3 font-normal">
                    {token.name}
                  </th>
                  <td className="py-2 pr-3">{token.scopes.join(", ")}</td>
                  <td className="py-2 pr-3">{shown(token.createdAt)}</td>
                  <td className="py-2 pr-3">
                    {expired ? `Expired ${shown(token.expiresAt)}` : shown(token.expiresAt)}
                  </td>
                  <td className="py-2 pr-3">{shown(token.lastUsedAt, "Not yet")}</td>
                  <td className="py-2">
                    <button
                      type="button"
                      className={quiet}
                      disabled={busy}
                      aria-describedby={`${captionId}-${token.id}`}
                      onClick={() => setConfirming(token)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p aria-live="polite" className="text-sm text-slate-700">
        {message}
      </p>
      {confirming && (
        <Modal title={`Revoke ${confirming.name}?`} onClose={() => setConfirming(null)}>
          <p className="text-sm text-slate-800">
            Anything using this token stops working at once, and its open connections close.
          </p>
          <div className="mt-4 flex justify-end gap-2">
            <button
              type="button"
              className={quiet}
              data-autofocus=""
              onClick={() => setConfirming(null)}
            >
              Cancel
            </button>
            <button
              type="button"
              className={danger}
              disabled={busy}
              onClick={() => void confirm(confirming)}
            >
              Revoke token
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
