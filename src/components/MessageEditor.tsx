import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { messageTextIssue, normalizeMessageText } from "../protocol/frames";

/** Inline editing of one's own message: Enter saves, Shift+Enter adds a line, Escape cancels. */
export function MessageEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState(initial);
  const area = useRef<HTMLTextAreaElement>(null);
  const trimmed = normalizeMessageText(text);
  // The server's own rule (graphemes, control characters), so it never refuses what this allows.
  const valid = messageTextIssue(trimmed) === null;

  useEffect(() => {
    // Focus with the caret at the end, where people continue typing.
    const el = area.current;
    el?.focus();
    el?.setSelectionRange(el.value.length, el.value.length);
  }, []);

  function save() {
    if (!valid) return;
    if (trimmed === initial.trim()) onCancel();
    else onSave(trimmed);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    } else if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    }
  }

  return (
    <form
      method="post"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      className="mt-1 space-y-1.5"
    >
      <label htmlFor={id} className="sr-only">
        Edit message
      </label>
      <textarea
        ref={area}
        id={id}
        value={text}
        rows={Math.min(8, text.split("\n").length)}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        className="w-full resize-none rounded-lg border border-slate-300 px-3 py-2 text-slate-800 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <div className="flex gap-2 text-sm">
        <button
          type="submit"
          disabled={!valid}
          className="rounded-md bg-indigo-600 px-3 py-1 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
        >
          Save
        </button>
        <button
          type="button"
          onClick={onCancel}
          className="rounded-md px-3 py-1 text-slate-600 hover:bg-slate-100"
        >
          Cancel
        </button>
        <span className="self-center text-xs text-slate-500">Enter to save, Escape to cancel</span>
      </div>
    </form>
  );
}
