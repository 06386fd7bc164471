import { useId, useState } from "react";
import { SCOPES, type Scope } from "../core/scopes";
import { expiryAfter, TOKEN_EXPIRY_DAYS, TOKEN_NAME_MAX } from "../core/token-rules";
import { Modal } from "./Modal";

export type TokenRequestData = { name: string; scopes: Scope[]; expiresAt: number | null };
export type TokenMade = { ok: true; id: string; token: string } | { ok: false; error: string };

const EXPIRY_LABELS: Record<string, string> = {
  never: "Never",
  "7": "7 days",
  "30": "30 days",
  "90": "90 days",
  "365": "1 year",
};

const field =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 outline-none focus:border-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-500";
const primary =
  "rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:bg-indigo-400";
const quiet =
  "rounded-md border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

/**
 * The "New token" dialog (issue 15), for one's own tokens and a bot's:
 * "Token name", "Expires" (Never … 1 year), a checkbox per scope ("admin"
 * only when `mayGrantAdmin`), "Create token"; then the token itself, in a
 * read-only field labelled "Token", shown this once, with "Copy". The
 * server checks everything again (core/token-rules.ts, admin-policy).
 */
export function TokenDialog({
  title = "New token",
  mayGrantAdmin,
  create,
  onClose,
}: {
  title?: string;
  mayGrantAdmin: boolean;
  create: (request: TokenRequestData) => Promise<TokenMade>;
  onClose: (made: boolean) => void;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("never");
  const [scopes, setScopes] = useState<Scope[]>(["read"]);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [token, setToken] = useState<string | null>(null);
  const [copied, setCopied] = useState("");
  const offered = SCOPES.filter((s) => s !== "admin" || mayGrantAdmin);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const days = expiry === "never" ? null : Number(expiry);
      const answer = await create({
        name,
        scopes,
        expiresAt: expiryAfter(days, Date.now()),
      });
      if (answer.ok) setToken(answer.token);
      else setError(answer.error);
    } catch {
      setError("The token was not created: check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!token) return;
    try {
      await navigator.clipboard.writeText(token);
      setCopied("Copied.");
    } catch {
      // No clipboard permission: select it, so a keyboard copy takes it.
      document.getElementById(`${id}-token`)?.focus();
      (document.getElementById(`${id}-token`) as HTMLInputElement | null)?.select();
      setCopied("Selected: press Ctrl+C to copy.");
    }
  }

  return (
    <Modal title={title} onClose={() => onClose(token !== null)}>
      {token === null ? (
        <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
          <label className="flex flex-col gap-1 text-sm text-slate-800">
            Token name
            <input
              data-autofocus=""
              className={field}
              value={name}
              maxLength={TOKEN_NAME_MAX}
              required
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="flex flex-col gap-1 text-sm text-slate-800">
            Expires
            <select className={field} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
              {TOKEN_EXPIRY_DAYS.map((days) => {
                const key = days === null ? "never" : String(days);
                return (
                  <option key={key} value={key}>
                    {EXPIRY_LABELS[key]}
                  </option>
                );
              })}
            </select>
          </label>
          <fieldset className="flex flex-col gap-1 text-sm text-slate-800">
            <legend className="mb-1">Scopes</legend>
            {offered.map((scope) => (
              <label key={scope} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) =>
                    setScopes((now) =>
                      e.target.checked ? [...now, scope] : now.filter((s) => s !== scope),
                    )
                  }
                />
                {scope}
              </label>
            ))}
          </fieldset>
          {error && (
            <p role="alert" className="text-sm text-red-700">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <button type="button" className={quiet} onClick={() => onClose(false)}>
              Cancel
            </button>
            <button type="submit" className={primary} disabled={busy}>
              Create token
            </button>
          </div>
        </form>
      ) : (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-800">
            Copy the token now: it is shown this once and cannot be read again.
          </p>
          <label htmlFor={`${id}-token`} className="text-sm font-medium text-slate-800">
            Token
          </label>
          <input
            id={`${id}-token`}
            readOnly
            data-autofocus=""
            value={token}
            className={`${field} font-mono text-xs`}
            onFocus={(e) => e.currentTarget.select()}
          />
          <div className="flex items-center justify-end gap-2">
            <p aria-live="polite" className="mr-auto text-sm text-slate-700">
              {copied}
            </p>
            <button type="button" className={quiet} onClick={() => void copy()}>
              Copy
            </button>
            <button type="button" className={primary} onClick={() => onClose(true)}>
              Done
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
