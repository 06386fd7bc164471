import {
  type ClipboardEvent,
  type KeyboardEvent,
  type Ref,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { clearDraft, loadDraft, saveDraft } from "../client/drafts";
import { useFileDrop } from "../client/hooks/useFileDrop";
import { useUploadTray } from "../client/hooks/useUploadTray";
import { safeLocalStorage } from "../client/local-storage";
import {
  type MentionOption,
  mentionOptions,
  mentionQueryAt,
  pickMention,
} from "../client/mention-suggest";
import { type CommandInfo, commandQuery, filterCommands, parseCommand } from "../core/commands";
import {
  MAX_MESSAGE_CHARS,
  messageTextIssue,
  normalizeMessageText,
  type WireFile,
} from "../protocol/frames";
import { AttachButton } from "./AttachButton";
import { InviteOffer } from "./InviteOffer";
import { MentionSuggestions, optionId } from "./MentionSuggestions";
import { SuggestionList } from "./SuggestionList";
import { UploadList } from "./UploadList";

/**
 * The message box: Enter sends, Shift+Enter adds a line. Typing tells the
 * room (the client throttles those frames). With `draftUserId` and
 * `draftKey`, what is typed is kept as a draft in this browser (see
 * src/client/drafts.ts) until it is sent. Files come from "Attach files",
 * a paste, or a drop on `dropTarget`; each uploads at once, and the
 * message goes (with their ids) once none is still uploading. Typing `@`
 * opens the mention autocomplete over `members` (the textarea keeps focus
 * and points at the active suggestion with aria-activedescendant); after a
 * send that mentioned non-members (`unresolved`), "Invite them?" is offered.
 * With `onCommand`, a text starting with `/name` runs a slash command
 * instead of being sent (`//x` sends "/x"), and typing `/` at the start
 * opens the "Commands" listbox over `commands`, the same way.
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
  dropTarget,
  members,
  meId,
  unresolved,
  onInvite,
  onDismissUnresolved,
  commands,
  onCommand,
}: {
  /** The text (may be empty when files go) and the uploaded files, in order. */
  onSend: (text: string, files: WireFile[]) => void;
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
  /** Where dropped files are taken (the conversation around the composer). */
  dropTarget?: RefObject<HTMLElement | null>;
  /** Whom `@` suggests: the room's members (with handles). */
  members?: readonly { id: string; name: string; handle?: string }[];
  /** The author, left out of the suggestions. */
  meId?: string;
  /** Handles the last send mentioned that are not in the room. */
  unresolved?: readonly string[];
  /** Invites one of `unresolved`; rejects with the refusal. */
  onInvite?: (handle: string) => Promise<void>;
  onDismissUnresolved?: () => void;
  /** The slash commands the "Commands" listbox offers. */
  commands?: readonly CommandInfo[];
  /** Runs `/name args` (the box is cleared); without it `/` is plain text. */
  onCommand?: (name: string, args: string) => void;
}) {
  const id = useId();
  const listId = `${id}-mentions`;
  const [text, setTextState] = useState("");
  const box = useRef<HTMLTextAreaElement | null>(null);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  // The `@` whose suggestions Escape closed: closed until the text changes.
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const mention = members ? mentionQueryAt(text, caret) : null;
  const options: MentionOption[] =
    mention && members && !disabled ? mentionOptions(mention.query, members, meId) : [];
  const open = mention !== null && options.length > 0 && dismissedAt !== mention.start;
  const commandsId = `${id}-commands`;
  // Escape closes the commands list until the text changes.
  const [commandsDismissed, setCommandsDismissed] = useState(false);
  const typedCommand = onCommand && commands && !disabled ? commandQuery(text) : null;
  const commandOptions = typedCommand === null ? [] : filterCommands(typedCommand, commands ?? []);
  const commandsOpen = !commandsDismissed && commandOptions.length > 0;
  const listCount = commandsOpen ? commandOptions.length : open ? options.length : 0;
  const activeIndex = Math.min(active, Math.max(0, listCount - 1));
  const setBox = useCallback(
    (node: HTMLTextAreaElement | null) => {
      box.current = node;
      if (typeof inputRef === "function") inputRef(node);
      else if (inputRef) (inputRef as { current: HTMLTextAreaElement | null }).current = node;
    },
    [inputRef],
  );
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
  const { tray, items, notice } = useUploadTray();
  const attached = items.length > 0;
  const uploading = items.some((item) => item.file === null);
  // Text alone, files alone or both; never while a file is still uploading.
  const canSend = !disabled && !uploading && !refused && (trimmed !== "" || attached);

  const addFiles = useCallback((files: File[]) => tray.add(files), [tray]);
  const dragging = useFileDrop(dropTarget, addFiles, !disabled);

  function submit() {
    if (!canSend) return;
    // A command only with no files: a message with files is always a message.
    const parsed = onCommand && !attached ? parseCommand(trimmed) : null;
    if (parsed?.kind === "command") onCommand?.(parsed.name, parsed.args);
    else onSend(parsed ? parsed.text : trimmed, tray.files);
    setTextState("");
    tray.clear();
    // Sent (acked or queued in the outbox, which keeps it from here on).
    if (slot) clearDraft(safeLocalStorage(), slot.userId, slot.key);
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files];
    if (files.length === 0 || disabled) return;
    // A copied image is only the file; copied text with a file keeps its text.
    if (!event.clipboardData.types.includes("text/plain")) event.preventDefault();
    tray.add(files);
  }

  function pick(option: MentionOption) {
    if (!mention) return;
    const next = pickMention(text, mention.start, caret, option.handle);
    setText(next.text);
    setCaret(next.caret);
    setActive(0);
    // After React writes the value: the caret goes after the inserted handle.
    requestAnimationFrame(() => box.current?.setSelectionRange(next.caret, next.caret));
  }

  function pickCommand(index: number) {
    const command = commandOptions[index];
    if (!command) return;
    const next = `/${command.name} `;
    setText(next);
    setCaret(next.length);
    setActive(0);
    requestAnimationFrame(() => box.current?.setSelectionRange(next.length, next.length));
  }

  /** The autocomplete's keys (mentions or commands); true when the key was its. */
  function suggestionKey(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (listCount === 0 || event.nativeEvent.isComposing) return false;
    const count = listCount;
    if (event.key === "ArrowDown") setActive((activeIndex + 1) % count);
    else if (event.key === "ArrowUp") setActive((activeIndex - 1 + count) % count);
    else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      if (commandsOpen) pickCommand(activeIndex);
      else {
        const option = options[activeIndex];
        if (option) pick(option);
      }
    } else if (event.key === "Escape") {
      // Only the list closes (not a panel or form around the composer).
      event.stopPropagation();
      if (commandsOpen) setCommandsDismissed(true);
      else setDismissedAt(mention?.start ?? null);
    } else return false;
    event.preventDefault();
    return true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestionKey(event)) return;
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
      className={`mx-3 mb-3 flex flex-col gap-2 rounded-lg ${
        dragging ? "bg-indigo-50 outline-2 outline-indigo-500 outline-dashed" : ""
      }`}
    >
      {notice && (
        <div
          role="alert"
          className="flex items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          <span>{notice}</span>
          <button
            type="button"
            onClick={() => tray.dismissNotice()}
            className="rounded px-2 py-1 font-medium underline hover:bg-red-100"
          >
            Dismiss
          </button>
        </div>
      )}
      {dragging && <p className="text-center text-sm text-indigo-800">Drop files to attach them</p>}
      <UploadList items={items} onCancel={(key) => tray.cancel(key)} />
      <div className="relative flex items-end gap-2">
        {commandsOpen && (
          <SuggestionList
            id={commandsId}
            label="Commands"
            options={commandOptions.map((c) => ({
              key: c.name,
              label: `/${c.name} ${c.description}`,
              primary: `/${c.name}`,
              secondary: c.description,
            }))}
            active={activeIndex}
            onPick={pickCommand}
          />
        )}
        {open && !commandsOpen && (
          <MentionSuggestions id={listId} options={options} active={activeIndex} onPick={pick} />
        )}
        <AttachButton onFiles={addFiles} disabled={disabled} />
        <label htmlFor={id} className="sr-only">
          {label}
        </label>
        <textarea
          ref={setBox}
          id={id}
          rows={Math.min(6, text.split("\n").length)}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart ?? event.target.value.length);
            setActive(0);
            setDismissedAt(null);
            setCommandsDismissed(false);
            if (event.target.value.trim()) onTyping?.();
          }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart ?? 0)}
          aria-autocomplete={members || onCommand ? "list" : undefined}
          aria-controls={commandsOpen ? commandsId : open ? listId : undefined}
          aria-activedescendant={
            commandsOpen
              ? optionId(commandsId, activeIndex)
              : open
                ? optionId(listId, activeIndex)
                : undefined
          }
          onKeyDown={onKeyDown}
          onPaste={onPaste}
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
          disabled={!canSend}
          title={uploading ? "Waiting for the uploads to finish" : undefined}
          className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
        >
          {sendLabel}
        </button>
      </div>
      {unresolved && unresolved.length > 0 && onInvite && (
        <InviteOffer
          handles={unresolved}
          onInvite={onInvite}
          onDismiss={() => onDismissUnresolved?.()}
        />
      )}
    </form>
  );
}
