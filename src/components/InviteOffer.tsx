import { useId, useState } from "react";
import { inviteRefusal } from "../client/room-actions";

/**
 * Under the composer after a send that mentioned people who are not in
 * the room: each handle with "Invite them?", so a mention never fails
 * silently. Refusals (a DM, a block, the hourly limit) are shown in the
 * server's words.
 */
export function InviteOffer({
  handles,
  onInvite,
  onDismiss,
}: {
  handles: readonly string[];
  onInvite: (handle: string) => Promise<void>;
  onDismiss: () => void;
}) {
  const id = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function invite(handle: string) {
    setBusy(handle);
    setError(null);
    try {
      await onInvite(handle);
    } catch (refused) {
      setError(inviteRefusal(refused));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section
      aria-label="Mentioned people not in this room"
      className="space-y-1 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950"
    >
      {handles.map((handle, index) => (
        <div key={handle} className="flex flex-wrap items-center gap-2">
          <span id={`${id}-${index}`}>@{handle} is not in this room and was not notified.</span>
          <button
            type="button"
            disabled={busy !== null}
            aria-describedby={`${id}-${index}`}
            onClick={() => void invite(handle)}
            className="rounded-md bg-indigo-600 px-2 py-1 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            Invite them?
          </button>
        </div>
      ))}
      {error && (
        <p role="alert" className="text-red-800">
          {error}
        </p>
      )}
      <button
        type="button"
        onClick={onDismiss}
        className="rounded px-1 font-medium text-amber-950 underline hover:bg-amber-100"
      >
        Dismiss
      </button>
    </section>
  );
}
