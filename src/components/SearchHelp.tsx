import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { SEARCH_OPERATORS } from "../core/search-query";

/**
 * The "Search help" button beside the search box and the popover it opens:
 * the operators, one example each. Picking an example puts it in the box
 * (`onPick`) and closes the popover; Escape closes it and returns focus to
 * the button. It opens only when asked, so it never covers what is typed.
 */
export function SearchHelp({ onPick }: { onPick: (example: string) => void }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    // Into the popover, so the keyboard reaches the examples next.
    panel.current?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== "Escape" || !open) return;
    // Handled here: Escape must not also close a thread or dialog behind it.
    event.stopPropagation();
    setOpen(false);
    button.current?.focus();
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape from anywhere inside the popover
    <div
      ref={wrapper}
      className="relative"
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        // Tabbing out of the popover closes it, as clicking elsewhere does.
        if (open && !wrapper.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-label="Search help"
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-controls={open ? `${id}-help` : undefined}
        onClick={() => setOpen((was) => !was)}
        className="flex h-8 w-8 items-center justify-center rounded-lg border border-slate-200 bg-slate-50 text-sm font-semibold text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        <span aria-hidden="true">?</span>
      </button>
      {open && (
        <div
          ref={panel}
          id={`${id}-help`}
          role="dialog"
          aria-labelledby={`${id}-title`}
          tabIndex={-1}
          className="absolute top-full right-0 z-40 mt-2 w-[min(26rem,90vw)] rounded-xl bg-white p-3 text-sm text-slate-700 shadow-xl ring-1 ring-slate-200 focus:outline-none"
        >
          <h2 id={`${id}-title`} className="font-semibold text-slate-900">
            Search operators
          </h2>
          <p className="mt-1 text-xs text-slate-500">
            Combine them with words, for example <code>deploy from:ann has:link</code>. Pick one to
            add it to your search.
          </p>
          <ul className="mt-2 space-y-0.5">
            {SEARCH_OPERATORS.map(({ example, meaning }) => (
              <li key={example}>
                <button
                  type="button"
                  onClick={() => {
                    setOpen(false);
                    onPick(example);
                  }}
                  className="grid w-full grid-cols-[8.5rem_1fr] items-baseline gap-2 rounded-md px-2 py-1 text-left hover:bg-slate-100 focus-visible:bg-indigo-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-500"
                >
                  <code className="justify-self-start rounded bg-slate-100 px-1 font-mono text-xs text-indigo-700">
                    {example}
                  </code>
                  <span className="text-xs text-slate-600">{meaning}</span>
                </button>
              </li>
            ))}
          </ul>
          <p className="mt-2 text-xs text-slate-500">
            Dates are whole days in UTC; before: and after: leave out the day itself.
          </p>
        </div>
      )}
    </div>
  );
}
