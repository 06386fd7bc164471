import { useState } from "react";
import { avatarColour, initials } from "../client/avatar";
import { avatarUrl, useAvatarVersion } from "../client/avatar-directory";

const SIZES = {
  md: "h-9 w-9 text-sm",
  lg: "h-20 w-20 text-2xl",
} as const;

/**
 * A person's avatar: their uploaded picture (issue 14) when they have one,
 * else initials on a colour of their own (client/avatar); a picture that
 * fails to load falls back to the initials. A fixed square slot, so the
 * picture arriving never moves the log. Decorative: the name is always
 * written beside it.
 */
export function Avatar({
  user,
  size = "md",
}: {
  user: { id: string; name: string };
  size?: keyof typeof SIZES;
}) {
  const version = useAvatarVersion(user.id);
  const [failed, setFailed] = useState<string | null>(null);
  const box = `flex shrink-0 items-center justify-center rounded-lg ${SIZES[size]}`;
  if (version && failed !== version) {
    return (
      <img
        src={avatarUrl(user.id, version)}
        alt=""
        aria-hidden="true"
        data-avatar="picture"
        onError={() => setFailed(version)}
        className={`${box} object-cover`}
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      data-avatar="initials"
      className={`${box} font-semibold text-white select-none ${avatarColour(user.id)}`}
    >
      {initials(user.name)}
    </span>
  );
}
