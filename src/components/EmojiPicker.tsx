import {
  type KeyboardEvent,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from "react";
import { createPortal } from "react-dom";
import { loadEmojiCatalog } from "../client/emoji-load";
import { inTone, SKIN_TONES, searchEmoji } from "../client/emoji-search";
import type { PickerEmoji } from "../protocol/reaction-emoji";

/** Results shown at once: eight rows of the grid. */
const LIMIT = 64;
const COLUMNS = 8;
const TONE_KEY = "parley.skinTone";

/** The remembered skin tone (0 default, 1 to 5), per browser. */
function savedTone(): number {
  const value = Number(globalThis.localStorage?.getItem(TONE_KEY) ?? 0);
  return Number.isInteger(value) && value >= 0 && value <= 5 ? value : 0;
}

/**
 * The searchable emoji picker: a modal dialog "Pick a reaction" with a
 * searchbox "Search emoji", a skin tone choice and a grid of results.
 * Arrow keys move from the searchbox into the grid and around it, Enter
 * picks, Escape closes and gives focus back to the opener.
 * The emoji data loads when it first opens. Rendered only after a click,
 * so never on the server.
 */
export function EmojiPicker({
  onPick,
  onClose,
  title = "Pick a reaction",
}: {
  onPick: (emoji: string) => void;
  onClose: () => void;
  /** The dialog's name (the status emoji's picker is "Pick a status emoji"). */
  title?: string;
}) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const grid = useRef<HTMLFieldSetElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const [catalog, setCatalog] = useState<PickerEmoji[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [query, setQuery] = useState("");
  const [tone, setTone] = useState(savedTone);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement;
    if (element && !element.open) element.showModal();
    search.current?.focus();
    return () => {
      element?.close();
      // Unmounting removes the dialog before it could restore focus itself.
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  const load = useCallback(() => {
    setFailed(false);
    loadEmojiCatalog().then(setCatalog, () => setFailed(true));
  }, []);
  useEffect(load, [load]);

  const results = useMemo(
    () => (catalog ? searchEmoji(catalog, query, LIMIT) : []),
    [catalog, query],
  );
  const at = Math.min(active, Math.max(results.length - 1, 0));

  function focusResult(index: number) {
    setActive(index);
    grid.current?.querySelectorAll<HTMLButtonElement>("button")[index]?.focus();
  }

  function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" && results.length > 0) {
      event.preventDefault();
      focusResult(at);
    } else if (event.key === "Enter" && results[0]) {
      event.preventDefault();
      pick(inTone(results[0], tone));
    }
  }

  function onGridKey(event: KeyboardEvent<HTMLFieldSetElement>) {
    const last = results.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: Math.min(at + 1, last),
      ArrowLeft: Math.max(at - 1, 0),
      ArrowDown: Math.min(at + COLUMNS, last),
      ArrowUp: at - COLUMNS,
      Home: 0,
      End: last,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const to = moves[event.key] ?? 0;
    if (to < 0) search.current?.focus();
    else focusResult(to);
  }

  function pick(emoji: string) {
    onPick(emoji);
    onClose();
  }

  const status = failed
    ? "The emoji could not be loaded."
    : !catalog
      ? "Loading emoji…"
      : results.length === 0
        ? `No emoji match “${query.trim()}”.`
        : query.trim()
          ? `${results.length === LIMIT ? `${LIMIT}+` : results.length} emoji found.`
          : "";

  // In a portal on <body>: inside the message log (a live region) every
  // keystroke's results would be announced as new log entries.
  return createPortal(
    <dialog
      ref={dialog}
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="m-auto w-[22rem] max-w-[calc(100vw-2rem)] rounded-xl bg-white p-3 text-slate-800 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/30"
    >
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        <button
          type="button"
          onClick={onClose}
          className="rounded px-2 py-0.5 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          Close
        </button>
      </div>
      <div className="flex gap-2">
        <input
          ref={search}
          type="search"
          aria-label="Search emoji"
          aria-describedby={`${id}-status`}
          placeholder="Search emoji"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onSearchKey}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 placeholder:text-slate-500 focus:outline-2 focus:outline-indigo-500"
        />
        <select
          aria-label="Skin tone"
          value={tone}
          onChange={(event) => {
            const value = Number(event.target.value);
            setTone(value);
            globalThis.localStorage?.setItem(TONE_KEY, String(value));
          }}
          className="rounded-md border border-slate-300 bg-white px-1 py-1 text-sm text-slate-800"
        >
          {SKIN_TONES.map((name, index) => (
            <option key={name} value={index}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <p id={`${id}-status`} role="status" className="mt-2 min-h-5 text-xs text-slate-600">
        {status}
        {failed && (
          <button
            type="button"
            onClick={load}
            className="ml-2 font-medium text-indigo-700 underline"
          >
            Try again
          </button>
        )}
      </p>
      <fieldset
        ref={grid}
        onKeyDown={onGridKey}
        className="mt-1 grid max-h-64 grid-cols-8 gap-0.5 overflow-y-auto"
      >
        <legend className="sr-only">Emoji</legend>
        {results.map((item, index) => {
          const emoji = inTone(item, tone);
          return (
            <button
              key={item.emoji}
              type="button"
              aria-label={item.label}
              title={item.label}
              tabIndex={index === at ? 0 : -1}
              onFocus={() => setActive(index)}
              onClick={() => pick(emoji)}
              className="rounded-md p-1 text-xl leading-none hover:bg-slate-100 focus-visible:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-500"
            >
              {emoji}
            </button>
          );
        })}
      </fieldset>
    </dialog>,
    document.body,
  );
}
