import { useId, useState } from "react";
import {
  INVITE_EXPIRIES,
  INVITE_EXPIRY_LABELS,
  INVITE_USE_LIMITS,
  type InviteExpiry,
  type InviteRole,
} from "../core/invites";
import { createInviteFn } from "../server/fns/invites";

const limitLabel = (n: number | null) =>
  n === null ? "Unlimited" : n === 1 ? "1 use" : `${n} uses`;

/**
 * The choices of a new invite link (expiry, use limit, and for admins the
 * role) and, once made, the link to copy. Shared by the admin console and
 * a room's "Invite link" dialog.
 */
export function InviteForm({
  roomId,
  allowGuest,
  onCreated,
}: {
  roomId: string | null;
  allowGuest: boolean;
  onCreated?: () => void;
}) {
  const id = useId();
  const [expiry, setExpiry] = useState<InviteExpiry>("7d");
  const [limit, setLimit] = useState<string>("25");
  const [role, setRole] = useState<InviteRole>("member");
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const answer = await createInviteFn({
        data: {
          roomId,
          expiry,
          maxUses: limit === "unlimited" ? null : (Number(limit) as 1 | 5 | 25),
          role,
        },
      });
      if (!answer.ok) setError(answer.error);
      else {
        setLink(`${window.location.origin}${answer.path}`);
        onCreated?.();
      }
    } catch {
      setError("The link could not be made. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const select =
    "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-500";
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-expiry`} className="text-sm font-medium">
            Expires after
          </label>
          <select
            id={`${id}-expiry`}
            value={expiry}
            onChange={(e) => setExpiry(e.target.value as InviteExpiry)}
            className={select}
          >
            {(Object.keys(INVITE_EXPIRIES) as InviteExpiry[]).map((key) => (
              <option key={key} value={key}>
                {INVITE_EXPIRY_LABELS[key]}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-limit`} className="text-sm font-medium">
            Use limit
          </label>
          <select
            id={`${id}-limit`}
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
            className={select}
          >
            {INVITE_USE_LIMITS.map((n) => (
              <option key={String(n)} value={n === null ? "unlimited" : String(n)}>
                {limitLabel(n)}
              </option>
            ))}
          </select>
        </div>
        {allowGuest && (
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-role`} className="text-sm font-medium">
              Joins as
            </label>
            <select
              id={`${id}-role`}
              value={role}
              onChange={(e) => setRole(e.target.value as InviteRole)}
              className={select}
            >
              <option value="member">Member</option>
              <option value="guest">Guest</option>
            </select>
          </div>
        )}
        <button
          type="button"
          onClick={create}
          disabled={busy}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          Create link
        </button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      {link && (
        <div className="space-y-1">
          <label htmlFor={`${id}-link`} className="block text-sm font-medium">
            Invite link
          </label>
          <div className="flex gap-2">
            <input
              id={`${id}-link`}
              readOnly
              value={link}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 font-mono text-sm"
            />
            <button
              type="button"
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(link);
                  setCopied(true);
                } catch {
                  setCopied(false);
                }
              }}
              className="rounded-md px-2 py-1 text-sm text-indigo-700 ring-1 ring-slate-300 hover:bg-slate-100"
            >
              Copy link
            </button>
          </div>
          <p role="status" className="text-sm text-slate-600">
            {copied ? "Copied." : "Shown once: copy it now."}
          </p>
        </div>
      )}
    </div>
  );
}
