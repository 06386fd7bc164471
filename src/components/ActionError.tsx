import { useEffect } from "react";
import { refusalText } from "../client/room-actions";
import type { ErrorCode } from "../protocol/frames";

/** How long a notice stays unless dismissed first. */
const SHOWN_MS = 10_000;

/**
 * A refusal with no place of its own on the page (typing, a read marker, a
 * frame of no action): sends show "Failed, retry", a refused edit, delete
 * or reaction shows by its message, an invite under the form, a leave by
 * its button. Announced to assistive tech as an alert, gone when dismissed
 * or after a few seconds.
 */
export function ActionError({
  error,
  onDismiss,
}: {
  error: { code: ErrorCode; at: number } | null;
  onDismiss: () => void;
}) {
  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(onDismiss, SHOWN_MS);
    return () => clearTimeout(timer);
  }, [error, onDismiss]);

  if (!error) return null;
  return (
    <div
      role="alert"
      className="mx-3 mb-2 flex items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <span>{refusalText(error.code)}</span>
      <button
        type="button"
        onClick={onDismiss}
        className="rounded px-2 py-1 font-medium hover:bg-amber-100"
      >
        Dismiss
      </button>
    </div>
  );
}
