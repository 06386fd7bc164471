import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { userTag } from "../core/user-tag";

/** A person the picker lists: id, display name and distinguishing tag. */
export type PersonOption = { id: string; name: string; tag: string };
export type PeopleAnswer = { ok: true; users: PersonOption[] } | { ok: false; error: string };

const label = (person: { id: string; name: string }) => `${person.name} #${userTag(person.id)}`;

/**
 * Invites someone to a private room by picking them: typing lists the
 * people whose name starts with it (name and tag, so two "Dana"s differ),
 * arrow keys move through the list, Enter or Tab picks, and Invite sends
 * the picked person's id, never the typed name. `onInvite` resolves null
 * once they are a member, or the refusal to show.
 */
export function InviteForm({
  disabled,
  onInvite,
  onSearch,
}: {
  disabled: boolean;
  onInvite: (userId: string) => Promise<string | null>;
  onSearch: (q: string) => Promise<PeopleAnswer>;
}) {
  const id = useId();
  const listId = `${id}-people`;
  const [query, setQuery] = useState("");
  const [options, setOptions] = useState<PersonOption[] | null>(null);
  const [active, setActive] = useState(-1);
  const [chosen, setChosen] = useState<PersonOption | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const latest = useRef(0);

  // Look people up as the name is typed (debounced; only the newest answer counts).
  useEffect(() => {
    const q = query.trim();
    if (chosen || !q) {
      setOptions(null);
      return;
    }
    const ticket = ++latest.current;
    const timer = setTimeout(async () => {
      try {
        const answer = await onSearch(q);
        if (ticket !== latest.current) return;
        if (!answer.ok) {
          setOptions(null);
          setNote({ ok: false, text: answer.error });
          return;
        }
        setNote(null);
        setOptions(answer.users);
        setActive(answer.users.length > 0 ? 0 : -1);
      } catch {
        if (ticket === latest.current) setNote({ ok: false, text: "Could not look people up." });
      }
    }, 150);
    return () => clearTimeout(timer);
  }, [query, chosen, onSearch]);

  const open = options !== null && !chosen;

  function choose(person: PersonOption) {
    setChosen(person);
    setQuery(label(person));
    setOptions(null);
    setActive(-1);
    setNote(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (!open || !options) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (options.length === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i + step + options.length) % options.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      const person = options[active];
      if (!person) return;
      // Enter picks without sending the form; Tab picks and moves on to Invite.
      if (event.key === "Enter") event.preventDefault();
      choose(person);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setOptions(null);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!chosen) {
      setNote(
        query.trim()
          ? { ok: false, text: "Pick the person from the list (arrow keys, then Enter)." }
          : null,
      );
      return;
    }
    setBusy(true);
    setNote(null);
    try {
      const failure = await onInvite(chosen.id);
      if (failure) setNote({ ok: false, text: failure });
      else {
        setNote({ ok: true, text: `${label(chosen)} was added.` });
        setChosen(null);
        setQuery("");
      }
    } finally {
      setBusy(false);
    }
  }

  const typed = query.trim();
  return (
    <form
      method="post"
      aria-label="Invite"
      onSubmit={submit}
      className="relative space-y-1.5 px-2"
      noValidate
    >
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        User name
      </label>
      <div className="flex gap-1.5">
        <input
          id={id}
          name="userName"
          role="combobox"
          autoComplete="off"
          maxLength={100}
          value={query}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          onChange={(event) => {
            setQuery(event.target.value);
            setChosen(null);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOptions(null)}
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm outline-none focus:border-indigo-500"
        />
        <button
          type="submit"
          disabled={busy || disabled}
          className="rounded-md bg-slate-800 px-2.5 py-1 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50"
        >
          Invite
        </button>
      </div>
      <div
        id={listId}
        role="listbox"
        aria-label="People"
        hidden={!open}
        className="absolute inset-x-2 z-10 max-h-56 overflow-y-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
      >
        {options?.map((person, i) => (
          <div
            key={person.id}
            tabIndex={-1}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            // mousedown would blur the input (closing the list) before the click.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(person)}
            onKeyDown={() => undefined}
            className={`cursor-pointer px-2 py-1 ${i === active ? "bg-indigo-50 text-indigo-800" : ""}`}
          >
            {person.name} <span className="text-xs text-slate-600">#{person.tag}</span>
          </div>
        ))}
      </div>
      <p
        aria-live="polite"
        className={`min-h-4 text-xs ${note?.ok ? "text-emerald-700" : "text-red-600"}`}
      >
        {open && options?.length === 0 && typed ? `Nobody is called "${typed}".` : note?.text}
      </p>
    </form>
  );
}
