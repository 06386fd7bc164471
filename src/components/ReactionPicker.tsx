import { useEffect, useRef, useState } from "react";
import { REACTIONS } from "../protocol/frames";
import { EmojiPicker } from "./EmojiPicker";

/** A reaction: any one emoji the server accepts (protocol/reaction-emoji.ts). */
export type Reaction = string;

/**
 * The quick reactions, one click each, and "More reactions" for any other
 * emoji (the searchable picker). Picking one closes it (`picked` true);
 * Escape closes it too.
 */
export function ReactionPicker({
  onPick,
  onClose,
}: {
  onPick: (emoji: string) => void;
  onClose: (picked: boolean) => void;
}) {
  const group = useRef<HTMLFieldSetElement>(null);
  const [searching, setSearching] = useState(false);
  // Opened from the menu, so focus moves here for keyboard users.
  useEffect(() => group.current?.querySelector("button")?.focus(), []);
  const pick = (emoji: string) => {
    onPick(emoji);
    onClose(true);
  };
  return (
    <fieldset
      ref={group}
      onKeyDown={(event) => {
        if (event.key === "Escape" && !searching) onClose(false);
      }}
      className="mt-1 flex w-fit gap-0.5 rounded-full bg-white px-1 py-0.5 shadow-sm ring-1 ring-slate-200"
    >
      <legend className="sr-only">Quick reactions</legend>
      {REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          aria-label={`React ${emoji}`}
          onClick={() => pick(emoji)}
          className="rounded-full px-1.5 py-0.5 text-lg leading-none hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          {emoji}
        </button>
      ))}
      <button
        type="button"
        aria-label="More reactions"
        aria-haspopup="dialog"
        aria-expanded={searching}
        onClick={() => setSearching(true)}
        className="rounded-full px-2 py-0.5 text-sm font-semibold text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        <span aria-hidden="true">+</span>
      </button>
      {searching && <EmojiPicker onPick={pick} onClose={() => setSearching(false)} />}
    </fieldset>
  );
}
