import { useId } from "react";

/**
 * The composer's file input, labelled "Attach files" (several at once).
 * The input itself takes focus and opens the picker (Enter or Space);
 * it is drawn as the paperclip button around it, which shows its focus.
 */
export function AttachButton({
  onFiles,
  disabled,
}: {
  onFiles: (files: File[]) => void;
  disabled: boolean;
}) {
  const id = useId();
  return (
    <label
      htmlFor={id}
      title="Attach files"
      className={`relative flex h-10 w-10 shrink-0 items-center justify-center rounded-lg border border-slate-300 text-slate-600 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-500 ${
        disabled ? "opacity-50" : "cursor-pointer hover:bg-slate-100 hover:text-slate-900"
      }`}
    >
      <span className="sr-only">Attach files</span>
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-5 w-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="m21 11-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4L15.5 7" />
      </svg>
      <input
        id={id}
        type="file"
        multiple
        disabled={disabled}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Cleared, so picking the same file again is a change too.
          event.target.value = "";
          if (files.length > 0) onFiles(files);
        }}
        className="absolute inset-0 cursor-pointer opacity-0 disabled:cursor-default"
      />
    </label>
  );
}
