import type { MentionOption } from "../client/mention-suggest";

/** The id of a suggestion's element, for the textarea's aria-activedescendant. */
export const optionId = (listId: string, index: number) => `${listId}-${index}`;

/**
 * The @ autocomplete's listbox ("Mention suggestions"), above the composer.
 * The textarea keeps focus and owns the keys (Up/Down, Enter/Tab, Escape);
 * the active option is named by aria-activedescendant. Options are clicked too.
 */
export function MentionSuggestions({
  id,
  options,
  active,
  onPick,
}: {
  id: string;
  options: readonly MentionOption[];
  active: number;
  onPick: (option: MentionOption) => void;
}) {
  return (
    <div
      role="listbox"
      id={id}
      aria-label="Mention suggestions"
      className="absolute bottom-full left-0 z-20 mb-1 max-h-64 w-72 max-w-full overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
    >
      {options.map((option, index) => (
        <div
          key={option.key}
          id={optionId(id, index)}
          tabIndex={-1}
          role="option"
          aria-selected={index === active}
          aria-label={option.label}
          // Keep focus in the textarea; the click itself picks.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(option)}
          // The textarea owns the keys (aria-activedescendant); options are clicked.
          onKeyDown={() => undefined}
          className="flex cursor-pointer items-baseline gap-2 rounded-md px-2 py-1.5 text-sm text-slate-800 aria-selected:bg-indigo-100 aria-selected:text-indigo-800"
        >
          <span className="truncate font-medium">{option.name}</span>
          <span className="truncate text-slate-600">@{option.handle}</span>
        </div>
      ))}
    </div>
  );
}
