import { useEffect } from "react";
import type { ErrorCode } from "../protocol/frames";

/** What the user reads for a refusal; the server's own words are for logs. */
const SAY: Record<ErrorCode, string> = {
  rate_limited: "You're going too fast. Wait a moment and try again.",
  forbidden: "You can't do that here.",
  not_found: "That message or room is no longer there.",
  too_large: "That is too long.",
  bad_frame: "Something went wrong. Try again.",
  internal: "Something went wrong. Try again.",
};

/** How long a notice stays unless dismissed first. */
const SHOWN_MS = 10_000;

/**
 * A refused action that was not a send (sends show their own "Failed,
 * retry"): an edit, a reaction, an invite. Announced to assistive tech as
 * an alert, gone when dismissed or after a few seconds.
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
      <span>{SAY[error.code]}</span>
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
