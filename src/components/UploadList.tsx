import { formatFileSize } from "../client/file-format";
import type { TrayItem } from "../client/upload-tray";

/**
 * The composer's attachments before the send: an upload in progress is a
 * progressbar named with the file name, with "Cancel upload"; a finished
 * one shows its name and size with a button to take it out again.
 */
export function UploadList({
  items,
  onCancel,
}: {
  items: readonly TrayItem[];
  onCancel: (key: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul aria-label="Attachments" className="flex flex-wrap gap-2">
      {items.map((item) => (
        <li
          key={item.key}
          className="flex w-64 max-w-full items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 px-2 py-1.5 text-sm"
        >
          <div className="flex min-w-0 flex-1 flex-col gap-1">
            <span className="flex items-baseline justify-between gap-2">
              <span title={item.name} className="truncate font-medium text-slate-800">
                {item.name}
              </span>
              <span className="shrink-0 text-xs text-slate-600">
                {item.file ? formatFileSize(item.file.size) : `${item.percent}%`}
              </span>
            </span>
            {!item.file && (
              <div
                role="progressbar"
                aria-label={item.name}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={item.percent}
                className="h-1.5 overflow-hidden rounded-full bg-slate-200"
              >
                <div
                  className="h-full rounded-full bg-indigo-600 transition-[width]"
                  style={{ width: `${item.percent}%` }}
                />
              </div>
            )}
          </div>
          {item.file ? (
            <button
              type="button"
              aria-label={`Remove ${item.name}`}
              onClick={() => onCancel(item.key)}
              className="shrink-0 rounded px-1.5 py-0.5 text-xs text-slate-700 underline hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
            >
              Remove
            </button>
          ) : (
            <button
              type="button"
              onClick={() => onCancel(item.key)}
              className="shrink-0 rounded px-1.5 py-0.5 text-xs text-slate-700 underline hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
            >
              Cancel upload
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
