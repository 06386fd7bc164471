import { formatFileSize } from "../client/file-format";
import type { PendingSend } from "../client/outbox";
import { MessageText } from "./MessageText";

/** A sent message the server has not acknowledged: "Sending…", or a retry after a refusal. */
export function PendingItem({
  item,
  onRetry,
  onDiscard,
}: {
  item: PendingSend;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}) {
  // Not dimmed with opacity: that took "Sending…" under AA contrast.
  return (
    <li className="-mx-2 flex flex-col rounded-lg py-1 pr-2 pl-16">
      <div className="flex items-baseline gap-2">
        <span className="font-semibold text-slate-900">You</span>
        {item.failed ? (
          <>
            <button
              type="button"
              onClick={() => onRetry(item.clientId)}
              className="text-xs text-red-600 underline"
              title={item.failed}
            >
              Failed, retry
            </button>
            <button
              type="button"
              onClick={() => onDiscard(item.clientId)}
              className="text-xs text-slate-500 underline"
            >
              Discard
            </button>
          </>
        ) : (
          <span className="text-xs text-slate-500 italic">Sending…</span>
        )}
      </div>
      {item.text !== "" && <MessageText text={item.text} />}
      {item.files && item.files.length > 0 && (
        // Names only: the files are not the room's until the message is stored.
        // Not a list: the log's list items are messages.
        <div className="mt-1 flex flex-wrap gap-2">
          {item.files.map((file) => (
            <span
              key={file.id}
              className="rounded-lg border border-slate-200 bg-slate-50 px-2 py-1 text-sm text-slate-800"
            >
              {file.name}{" "}
              <span className="text-xs text-slate-600">{formatFileSize(file.size)}</span>
            </span>
          ))}
        </div>
      )}
    </li>
  );
}
