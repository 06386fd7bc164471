/** The id of a suggestion's element, for the textarea's aria-activedescendant. */
export const optionId = (listId: string, index: number) => `${listId}-${index}`;

/** One suggestion: `label` is its exact accessible name; `primary`/`secondary` are shown. */
export type Suggestion = { key: string; label: string; primary: string; secondary: string };

/**
 * A composer autocomplete's listbox (mentions, commands), above the
 * composer. The textarea keeps focus and owns the keys (Up/Down,
 * Enter/Tab, Escape); the active option is named by
 * aria-activedescendant. Options are clicked too.
 */
export function SuggestionList({
  id,
  label,
  options,
  active,
  onPick,
}: {
  id: string;
  label: string;
  options: readonly Suggestion[];
  active: number;
  onPick: (index: number) => void;
}) {
  return (
    <div
      role="listbox"
      id={id}
      aria-label={label}
      className="absolute bottom-full left-0 z-20 mb-1 max-h-64 w-80 max-w-full overflow-y-auto rounded-lg border border-slate-200 bg-white p-1 shadow-lg"
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
          onClick={() => onPick(index)}
          // The textarea owns the keys (aria-activedescendant); options are clicked.
          onKeyDown={() => undefined}
          className="flex cursor-pointer items-baseline gap-2 rounded-md px-2 py-1.5 text-sm text-slate-800 aria-selected:bg-indigo-100 aria-selected:text-indigo-800"
        >
          <span className="shrink-0 font-medium">{option.primary}</span>
          {/* A space between the parts, so the visible text reads as the name does. */}{" "}
          <span className="truncate text-slate-600">{option.secondary}</span>
        </div>
      ))}
    </div>
  );
}
