import { useId } from "react";
import type { NotifyLevel } from "../protocol/frames";

const OPTIONS: { value: NotifyLevel; label: string }[] = [
  { value: "all", label: "All messages" },
  { value: "mentions", label: "Mentions and DMs" },
  { value: "nothing", label: "Nothing" },
];

/**
 * The radio group "Notify me about" (issue 13's UI contract): in a room's
 * dialog and as the default level on the settings page. `defaultLevel`
 * marks the option that applies when none is chosen ("(default)" beside it).
 */
export function NotifyLevelRadios({
  value,
  defaultLevel,
  disabled = false,
  onChange,
}: {
  value: NotifyLevel;
  defaultLevel?: NotifyLevel;
  disabled?: boolean;
  onChange: (level: NotifyLevel) => void;
}) {
  const name = useId();
  const hintId = useId();
  const fallback = OPTIONS.find((option) => option.value === defaultLevel);
  return (
    <fieldset
      className="flex flex-col gap-1.5"
      disabled={disabled}
      aria-describedby={fallback ? hintId : undefined}
    >
      <legend className="mb-1 text-sm font-medium text-slate-800">Notify me about</legend>
      {OPTIONS.map((option) => (
        <label key={option.value} className="flex items-center gap-2 text-sm text-slate-800">
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
            className="h-4 w-4 accent-indigo-600"
          />
          {option.label}
          {/* Outside the radio's name: the contract names the options exactly. */}
          {defaultLevel === option.value && (
            <span aria-hidden="true" className="text-xs text-slate-600">
              (default)
            </span>
          )}
        </label>
      ))}
      {fallback && (
        <p id={hintId} className="text-xs text-slate-600">
          Your default here is “{fallback.label}”.
        </p>
      )}
    </fieldset>
  );
}
