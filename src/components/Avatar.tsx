import { avatarColour, initials } from "../client/avatar";

/**
 * A person's avatar: initials on a colour of their own (client/avatar). A
 * fixed square slot, so a picture can take its place later without moving
 * the log. Decorative: the name is always written beside it.
 */
export function Avatar({ user }: { user: { id: string; name: string } }) {
  return (
    <span
      aria-hidden="true"
      className={`flex h-9 w-9 shrink-0 items-center justify-center rounded-lg text-sm font-semibold text-white select-none ${avatarColour(user.id)}`}
    >
      {initials(user.name)}
    </span>
  );
}
