import type { MentionOption } from "../client/mention-suggest";
import { SuggestionList } from "./SuggestionList";

export { optionId } from "./SuggestionList";

/** The @ autocomplete's listbox ("Mention suggestions"): see SuggestionList. */
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
    <SuggestionList
      id={id}
      label="Mention suggestions"
      options={options.map((o) => ({
        key: o.key,
        label: o.label,
        primary: o.name,
        secondary: `@${o.handle}`,
      }))}
      active={active}
      onPick={(index) => {
        const option = options[index];
        if (option) onPick(option);
      }}
    />
  );
}
