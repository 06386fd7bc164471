import { type KeyboardEvent, useId, useState } from "react";
import { MAX_MESSAGE_CHARS } from "../protocol/frames";

/** The message box: Enter sends, Shift+Enter adds a line. */
export function Composer({ onSend }: { onSend: (text: string) => void }) {
  const id = useId();
  const [text, setText] = useState("");
  const trimmed = text.trim();
  const tooLong = trimmed.length > MAX_MESSAGE_CHARS;

  function submit() {
    if (!trimmed || tooLong) return;
    onSend(trimmed);
    setText("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      className="flex items-end gap-2 border-t border-slate-200 bg-white p-3"
    >
      <label htmlFor={id} className="sr-only">
        Message
      </label>
      <textarea
        id={id}
        rows={1}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Write a message"
        aria-invalid={tooLong ? true : undefined}
        aria-describedby={tooLong ? `${id}-too-long` : undefined}
        className="max-h-40 min-h-10 flex-1 resize-none rounded-lg border border-slate-300 px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      {tooLong && (
        <p id={`${id}-too-long`} role="alert" className="sr-only">
          Messages are at most {MAX_MESSAGE_CHARS} characters.
        </p>
      )}
      <button
        type="submit"
        disabled={!trimmed || tooLong}
        className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
      >
        Send
      </button>
    </form>
  );
}
