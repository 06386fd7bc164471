import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { SearchHit } from "../ports";
import { SearchResults } from "./SearchResults";

/**
 * The header's "Search messages" box: Enter searches, the results open in a
 * panel under it; Escape or a click elsewhere closes the panel.
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
    setQuery(q);
    setHits(null);
    setError(null);
    setOpen(true);
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

  return (
    <div ref={box} className="relative w-full md:max-w-xs">
      <search>
        <form onSubmit={submit}>
          <label htmlFor={id} className="sr-only">
            Search messages
          </label>
          <input
            id={id}
            name="q"
            type="search"
            placeholder="Search messages"
            maxLength={200}
            autoComplete="off"
            aria-controls={open ? `${id}-panel` : undefined}
            className="w-full rounded-lg border border-slate-200 bg-slate-50 px-3 py-1.5 text-sm outline-none placeholder:text-slate-400 focus:border-indigo-400 focus:bg-white focus:ring-2 focus:ring-indigo-100"
          />
        </form>
      </search>
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
          {error ? (
            <p role="alert" className="px-3 py-4 text-sm text-red-600">
              {error}
            </p>
          ) : (
            <SearchResults
              query={query}
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
