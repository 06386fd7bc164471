import { type KeyboardEvent, type Ref, useEffect, useId, useRef, useState } from "react";
import { clearDraft, loadDraft, saveDraft } from "../client/drafts";
import { safeLocalStorage } from "../client/local-storage";
import { MAX_MESSAGE_CHARS, messageTextIssue, normalizeMessageText } from "../protocol/frames";

/**
 * The message box: Enter sends, Shift+Enter adds a line. Typing tells the
 * room (the client throttles those frames). With `draftUserId` and
 * `draftKey`, what is typed is kept as a draft in this browser (see
 * src/client/drafts.ts) until it is sent.
 */
export function Composer({
  onSend,
  onTyping,
  placeholder = "Write a message",
  disabled = false,
  label = "Message",
  sendLabel = "Send",
  draftUserId,
  draftKey,
  onEditLast,
  inputRef,
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
  /** Whose draft this is (drafts are per user); no draft is kept without it. */
  draftUserId?: string;
  /** Which draft: the room's id for a room, a key of its own for a thread's composer. */
  draftKey?: string;
  /** Up arrow in the empty box: edit one's last message; true when there was one. */
  onEditLast?: () => boolean;
  /** The textarea, for the page to give focus back (after an edit started here). */
  inputRef?: Ref<HTMLTextAreaElement>;
}) {
  const id = useId();
  const [text, setTextState] = useState("");
  const slot = draftUserId && draftKey ? { userId: draftUserId, key: draftKey } : null;
  const slotId = slot ? `${slot.userId}\n${slot.key}` : null;
  // Which draft the box shows: typing saves only once that draft was read,
  // so switching keys never writes one draft's text into another.
  const loadedSlot = useRef<string | null>(null);

  // Read after hydration (the server cannot see localStorage), and again
  // when the key changes (a thread composer moving to another thread).
  // biome-ignore lint/correctness/useExhaustiveDependencies: slotId names the slot
  useEffect(() => {
    loadedSlot.current = slotId;
    if (slot) setTextState(loadDraft(safeLocalStorage(), slot.userId, slot.key));
  }, [slotId]);

  function setText(value: string) {
    setTextState(value);
    if (slot && loadedSlot.current === slotId) {
      saveDraft(safeLocalStorage(), slot.userId, slot.key, value);
    }
  }
  const trimmed = normalizeMessageText(text);
  // The server's own rule: graphemes (what people see as characters), no
  // control characters; so the server never refuses what the UI allowed.
  const issue = messageTextIssue(trimmed);
  const refused = issue === "too_large" || issue === "control";

  function submit() {
    if (!trimmed || issue || disabled) return;
    onSend(trimmed);
    setTextState("");
    // Sent (acked or queued in the outbox, which keeps it from here on).
    if (slot) clearDraft(safeLocalStorage(), slot.userId, slot.key);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (
      event.key === "ArrowUp" &&
      text === "" &&
      !(event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) &&
      onEditLast?.()
    ) {
      event.preventDefault();
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
        ref={inputRef}
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
