import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { PEOPLE_QUERY_MAX, type PersonOption } from "../core/people-search";
import { Avatar } from "./Avatar";

/** What the people look-up (server/fns/people searchUsersFn) answers. */
export type PeopleAnswer = { ok: true; users: PersonOption[] } | { ok: false; error: string };

/** How long typing pauses before a look-up: one request per pause, not per key. */
const DEBOUNCE_MS = 150;

/**
 * The one people picker (issue 17), inside the "Invite people" and "New
 * message" dialogs: a combobox "Search people" (ARIA 1.2: it keeps focus,
 * aria-activedescendant names the active option of the listbox it
 * controls). Typing looks people up by handle, name or email; Up and Down
 * move, Enter picks, Escape closes the list first (its keydown is taken,
 * so the dialog stays) and the dialog after. `onPick` resolves true when
 * the pick is done with (the box empties for the next one), false to keep
 * the query and list (a refusal: pick someone else).
 */
export function PeoplePicker({
  onSearch,
  onPick,
  busy,
  badge,
}: {
  onSearch: (q: string) => Promise<PeopleAnswer>;
  onPick: (person: PersonOption) => Promise<boolean>;
  busy: boolean;
  /**
   * Words an option shows after its name ("already a member"); its
   * accessible name is "<name> @<handle>, <badge>" (core personLabel).
   */
  badge?: (person: PersonOption) => string | null;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const [query, setQuery] = useState("");
  const [options, setOptions] = useState<PersonOption[] | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const latest = useRef(0);

  // Look people up as the query is typed; only the newest answer counts.
  useEffect(() => {
    const typed = query.trim();
    const ticket = ++latest.current;
    if (!typed) {
      setOptions(null);
      setProblem(null);
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const answer = await onSearch(typed);
        if (ticket !== latest.current) return;
        if (!answer.ok) {
          setProblem(answer.error);
          setOptions(null);
          return;
        }
        setProblem(null);
        setOptions(answer.users);
        setActive(0);
        setOpen(true);
      } catch {
        if (ticket === latest.current) setProblem("Could not look people up. Try again.");
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, onSearch]);

  const shown = open && options !== null && options.length > 0 ? options : null;
  const current = shown?.[Math.min(active, shown.length - 1)];
  const optionId = (person: PersonOption) => `${id}-person-${person.id}`;
  async function pick(person: PersonOption) {
    if (busy) return;
    if (await onPick(person)) {
      setQuery("");
      setOptions(null);
      setOpen(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!options || options.length === 0) return;
      if (!open) {
        setOpen(true);
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(
        (index) => (Math.min(index, options.length - 1) + step + options.length) % options.length,
      );
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (current) void pick(current);
    } else if (event.key === "Escape" && shown) {
      // The list closes; the dialog's own Escape (its cancel) waits for the next press.
      event.preventDefault();
      setOpen(false);
    }
  }

  const typed = query.trim();
  const status = problem
    ? problem
    : options === null || !typed
      ? ""
      : options.length === 0
        ? `Nobody matches "${typed}".`
        : `${options.length} ${options.length === 1 ? "person" : "people"} found.`;

  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        Search people
      </label>
      <input
        id={id}
        role="combobox"
        type="text"
        autoComplete="off"
        spellCheck={false}
        maxLength={PEOPLE_QUERY_MAX}
        aria-autocomplete="list"
        aria-expanded={shown !== null}
        aria-controls={listId}
        aria-activedescendant={current ? optionId(current) : undefined}
        aria-describedby={`${id}-status`}
        // The dialog exists to type into this box (see Modal).
        data-autofocus
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        placeholder="Handle, name or email"
        className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
      />
      <div
        id={listId}
        role="listbox"
        aria-label="People"
        hidden={shown === null}
        className="max-h-72 overflow-y-auto"
      >
        {shown?.map((person) => {
          const extra = badge?.(person);
          return (
            <div
              key={person.id}
              id={optionId(person)}
              tabIndex={-1}
              role="option"
              aria-selected={person === current}
              // Keep focus in the box; the click itself picks.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => void pick(person)}
              // The box owns the keys (aria-activedescendant); options are clicked.
              onKeyDown={() => undefined}
              className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-800 aria-selected:bg-indigo-100 aria-selected:text-indigo-900"
            >
              <Avatar user={person} />
              <span className="flex min-w-0 flex-1 flex-col">
                <span className="truncate font-medium">{person.name}</span>
                {/* Named by what it shows (no aria-label: axe would want the
                  avatar's letters in it), "<name> @<handle>, <badge>" as core
                  personLabel writes it; the space and the comma make it so. */}{" "}
                <span className="truncate text-xs text-slate-600">
                  {[person.handle && `@${person.handle}`, extra].filter(Boolean).join(", ")}
                </span>
              </span>
            </div>
          );
        })}
      </div>
      <p id={`${id}-status`} role="status" className="min-h-5 text-sm text-slate-600">
        {status}
      </p>
    </div>
  );
}
