import type { WireUser } from "../protocol/frames";

/** "Ann is typing…", "Ann and Bo are typing…", "Ann, Bo and 2 others are typing…". */
export function typingText(users: readonly WireUser[]): string {
  const [a, b] = users;
  if (!a) return "";
  if (!b) return `${a.name} is typing…`;
  if (users.length === 2) return `${a.name} and ${b.name} are typing…`;
  const others = users.length - 2;
  return `${a.name}, ${b.name} and ${others} other${others === 1 ? "" : "s"} are typing…`;
}

/**
 * Who is typing, in a polite live region that stays mounted (empty when
 * nobody types) so screen readers announce changes. Not role=status: that
 * role belongs to the connection badge.
 */
export function TypingIndicator({ users }: { users: readonly WireUser[] }) {
  return (
    <p aria-live="polite" className="h-5 truncate px-4 text-xs text-slate-500 italic">
      {typingText(users)}
    </p>
  );
}
