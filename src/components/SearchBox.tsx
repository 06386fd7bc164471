import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { parseSearchQuery } from "../core/search-query";
import type { SearchHit } from "../ports";
import { SearchHelp } from "./SearchHelp";
import { SearchResults } from "./SearchResults";

/**
 * The header's "Search messages" box: Enter searches, the results open in a
 * panel under it; Escape or a click elsewhere closes the panel. Operators
 * (core/search-query) are read here first, so a bad one is named at once
 * and never sent; "Search help" beside the box lists them.
 */
export function SearchBox({
  onSearch,
  roomName,
}: {
  onSearch: (q: string) => Promise<SearchHit[]>;
  roomName: (room: SearchHit["room"]) => string;
}) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [words, setWords] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(0);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && box.current?.contains(document.activeElement)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get("q") ?? "").trim();
    if (!q) return;
    // Only the newest search may fill the panel, whatever order answers come in.
    const ticket = ++latest.current;
    const parsed = parseSearchQuery(q);
    setQuery(q);
    setWords(parsed.query.words.join(" "));
    setNotes(parsed.notes);
    setOpen(true);
    if (parsed.problems.length > 0) {
      setError(parsed.problems.join(" "));
      setHits([]);
      return;
    }
    setHits(null);
    setError(null);
    try {
      const found = await onSearch(q);
      if (ticket === latest.current) setHits(found);
    } catch (failure) {
      if (ticket === latest.current) {
        // A refusal over the per-user limit says when to retry; anything else stays generic.
        const message = failure instanceof Error ? failure.message : "";
        setError(message.startsWith("Too many") ? message : "Search failed. Try again.");
        setHits([]);
      }
    }
  }

  /** Adds a help example to the box, selecting its value so typing replaces it. */
  function addExample(example: string) {
    const field = input.current;
    if (!field) return;
    const before = field.value.trimEnd();
    field.value = before ? `${before} ${example}` : example;
    field.focus();
    const end = field.value.length;
    const valueStart = end - example.length + example.indexOf(":") + 1;
    const hasValue = !/^(has|is):/.test(example);
    field.setSelectionRange(hasValue ? valueStart : end, end);
  }

  return (
    <div ref={box} className="relative flex w-full items-center gap-1.5 md:max-w-xs">
      <search className="min-w-0 flex-1">
        <form onSubmit={submit}>
          <label htmlFor={id} className="sr-only">
            Search messages
          </label>
          <input
            ref={input}
            id={id}
            name="q"
            type="search"
            placeholder="Search messages"
            maxLength={200}
            autoComplete="off"
            aria-controls={open ? `${id}-panel` : undefined}
            className="w-full rounded-lg border border-slate-200 bg-slate-50 px-3 py-1.5 text-sm outline-none placeholder:text-slate-600 focus:border-indigo-400 focus:bg-white focus:ring-2 focus:ring-indigo-100"
          />
        </form>
      </search>
      <SearchHelp
        onPick={(example) => {
          setOpen(false);
          addExample(example);
        }}
      />
      {open && (
        <section
          id={`${id}-panel`}
          aria-label={`Results for ${query}`}
          className="absolute top-full right-0 z-30 mt-2 max-h-[70vh] w-[min(28rem,90vw)] overflow-y-auto rounded-xl bg-white shadow-xl ring-1 ring-slate-200"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-3 py-2">
            <h2 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
              Search results
            </h2>
            <button
              type="button"
              onClick={() => setOpen(false)}
              className="rounded px-1.5 text-sm text-slate-500 hover:bg-slate-100"
            >
              Close
            </button>
          </div>
          {notes.length > 0 && !error && (
            <p role="status" className="border-b border-slate-100 px-3 py-2 text-xs text-amber-800">
              {notes.join(" ")}
            </p>
          )}
          {error ? (
            <p role="alert" className="px-3 py-4 text-sm text-red-600">
              {error}
            </p>
          ) : (
            <SearchResults
              query={query}
              highlight={words}
              hits={hits}
              roomName={roomName}
              onPick={() => setOpen(false)}
            />
          )}
        </section>
      )}
    </div>
  );
}
