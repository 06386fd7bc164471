/** A slash command's answer to this tab alone (never stored, never sent). */
export type CommandNotice = { id: number; text: string };

/**
 * The answers to slash commands (/help, a usage hint, a refusal, a custom
 * command's private reply), under the conversation: only this tab sees
 * them, each until dismissed.
 */
export function CommandNotices({
  notices,
  onDismiss,
}: {
  notices: readonly CommandNotice[];
  onDismiss: (id: number) => void;
}) {
  if (notices.length === 0) return null;
  return (
    <ul aria-label="Command answers" className="mx-3 mb-2 flex flex-col gap-2">
      {notices.map((notice) => (
        <li
          key={notice.id}
          className="flex items-start justify-between gap-3 rounded-lg border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-800"
        >
          <p role="status" className="whitespace-pre-wrap">
            <span className="sr-only">Only you can see this: </span>
            {notice.text}
          </p>
          <button
            type="button"
            onClick={() => onDismiss(notice.id)}
            className="shrink-0 rounded px-2 py-1 font-medium text-slate-700 underline hover:bg-slate-200"
          >
            Dismiss
          </button>
        </li>
      ))}
    </ul>
  );
}
