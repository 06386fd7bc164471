import type { WireMember, WireMessage } from "../protocol/frames";

/**
 * A message's reactions as toggle buttons named like "👍 2"; pressed when
 * the reader is among those who reacted. The tooltip names who reacted when
 * they are known members.
 */
export function ReactionBar({
  reactions,
  meId,
  members,
  disabled,
  onToggle,
}: {
  reactions: WireMessage["reactions"];
  meId: string;
  members: readonly WireMember[];
  disabled?: boolean;
  onToggle: (emoji: string) => void;
}) {
  const shown = reactions.filter((r) => r.userIds.length > 0);
  if (shown.length === 0) return null;
  const nameOf = (id: string) =>
    id === meId ? "you" : (members.find((m) => m.id === id)?.name ?? "someone");
  return (
    <div className="mt-1 flex flex-wrap gap-1">
      {shown.map(({ emoji, userIds }) => {
        const mine = userIds.includes(meId);
        return (
          <button
            key={emoji}
            type="button"
            aria-pressed={mine}
            aria-label={`${emoji} ${userIds.length}`}
            title={userIds.map(nameOf).join(", ")}
            disabled={disabled}
            onClick={() => onToggle(emoji)}
            className={`flex items-center gap-1 rounded-full px-2 py-0.5 text-xs ring-1 disabled:opacity-60 ${
              mine
                ? "bg-indigo-50 text-indigo-800 ring-indigo-300"
                : "bg-white text-slate-700 ring-slate-200 hover:bg-slate-50"
            }`}
          >
            <span aria-hidden="true">{emoji}</span>
            <span aria-hidden="true">{userIds.length}</span>
          </button>
        );
      })}
    </div>
  );
}
