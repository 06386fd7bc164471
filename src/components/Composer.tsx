import { type KeyboardEvent, useId, useState } from "react";
import { MAX_MESSAGE_CHARS, messageTextIssue, normalizeMessageText } from "../protocol/frames";

/**
 * The message box: Enter sends, Shift+Enter adds a line. Typing tells the
 * room (the client throttles those frames).
 */
export function Composer({
  onSend,
  onTyping,
  placeholder = "Write a message",
  disabled = false,
  label = "Message",
  sendLabel = "Send",
}: {
  onSend: (text: string) => void;
  onTyping?: () => void;
  placeholder?: string;
  /** While another room loads: a message typed now must not go to this one. */
  disabled?: boolean;
  /** The textbox's accessible name ("Reply" in a thread). */
  label?: string;
  /** The send button's name ("Send reply" in a thread). */
  sendLabel?: string;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const trimmed = normalizeMessageText(text);
  // The server's own rule: graphemes (what people see as characters), no
  // control characters; so the server never refuses what the UI allowed.
  const issue = messageTextIssue(trimmed);
  const refused = issue === "too_large" || issue === "control";

  function submit() {
    if (!trimmed || issue || disabled) return;
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
      method="post"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      className="flex items-end gap-2 px-3 pb-3"
    >
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        rows={Math.min(6, text.split("\n").length)}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value.trim()) onTyping?.();
        }}
        onKeyDown={onKeyDown}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={refused ? true : undefined}
        aria-describedby={refused ? `${id}-too-long` : undefined}
        className="max-h-40 min-h-10 flex-1 resize-none rounded-lg border border-slate-300 px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      {refused && (
        <p id={`${id}-too-long`} role="alert" className="sr-only">
          {issue === "control"
            ? "Messages cannot contain control characters."
            : `Messages are at most ${MAX_MESSAGE_CHARS} characters.`}
        </p>
      )}
      <button
        type="submit"
        disabled={!trimmed || issue !== null || disabled}
        className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
      >
        {sendLabel}
      </button>
    </form>
  );
}
