import { useEffect, useRef } from "react";
import { REACTIONS } from "../protocol/frames";

export type Reaction = (typeof REACTIONS)[number];

/** The emoji a person can react with; picking one (or Escape) closes it. */
export function ReactionPicker({
  onPick,
  onClose,
}: {
  onPick: (emoji: Reaction) => void;
  onClose: () => void;
}) {
  const group = useRef<HTMLFieldSetElement>(null);
  // Opened from the menu, so focus moves here for keyboard users.
  useEffect(() => group.current?.querySelector("button")?.focus(), []);
  return (
    <fieldset
      ref={group}
      onKeyDown={(event) => {
        if (event.key === "Escape") onClose();
      }}
      className="mt-1 flex w-fit gap-0.5 rounded-full bg-white px-1 py-0.5 shadow-sm ring-1 ring-slate-200"
    >
      <legend className="sr-only">Pick a reaction</legend>
      {REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          aria-label={`React ${emoji}`}
          onClick={() => {
            onPick(emoji);
            onClose();
          }}
          className="rounded-full px-1.5 py-0.5 text-lg leading-none hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          {emoji}
        </button>
      ))}
    </fieldset>
  );
}
