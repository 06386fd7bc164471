import { fileTypeLabel, formatFileSize } from "../client/file-format";
import { fileUrl, type WireFile } from "../protocol/frames";

/**
 * A file that is not shown inline: a download link named "report.pdf,
 * 1.2 MB, PDF" (the name first), with the size and type visible.
 */
export function FileCard({ file }: { file: WireFile }) {
  const type = fileTypeLabel(file.type, file.name);
  const size = formatFileSize(file.size);
  return (
    <a
      href={fileUrl(file)}
      download={file.name}
      className="flex max-w-xs min-w-0 items-center gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500"
    >
      <FileIcon />
      {/* The link's name, in one piece: "report.pdf, 1.2 MB, PDF". */}
      <span className="sr-only">{`${file.name}, ${size}, ${type}`}</span>
      {/* The same words as shown (two lines; a name built from them would read "report.pdf 1.2 MB"). */}
      <span aria-hidden="true" className="flex min-w-0 flex-col">
        <span className="truncate text-sm font-medium text-indigo-700">{file.name}</span>
        <span className="text-xs text-slate-600">
          {size}, {type}
        </span>
      </span>
    </a>
  );
}

function FileIcon() {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      className="h-8 w-8 shrink-0 text-slate-500"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
      <path d="M14 3v5h5" />
    </svg>
  );
}
