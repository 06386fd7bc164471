import { useState } from "react";

/**
 * Stands in for messages missing between two loaded ones (after jumping to
 * a search result in a room already open, the log holds two stretches).
 * Loading fetches the page just before the later stretch. It sits between
 * the log's lists, not in one (a list holds only messages).
 */
export function GapLoader({ count, onLoad }: { count: number; onLoad: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="py-1 text-center">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onLoad();
          } finally {
            setBusy(false);
          }
        }}
        className="rounded-full bg-slate-100 px-3 py-1 text-xs text-slate-600 hover:bg-slate-200 disabled:opacity-60"
      >
        {busy ? "Loading…" : `Show ${count} more message${count === 1 ? "" : "s"}`}
      </button>
    </div>
  );
}
