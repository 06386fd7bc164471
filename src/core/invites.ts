/**
 * Invite links (issue 14): the choices offered when making one and the
 * pure rule for whether a stored link can still be used. The token itself
 * is only in the link; the store keeps a hash of it.
 */

/** Expiry choices, as offered in the forms: milliseconds, or null for never. */
export const INVITE_EXPIRIES = {
  "1h": 60 * 60 * 1000,
  "1d": 24 * 60 * 60 * 1000,
  "7d": 7 * 24 * 60 * 60 * 1000,
  never: null,
} as const;
export type InviteExpiry = keyof typeof INVITE_EXPIRIES;
export const INVITE_EXPIRY_LABELS: Record<InviteExpiry, string> = {
  "1h": "1 hour",
  "1d": "1 day",
  "7d": "7 days",
  never: "Never",
};

/** Use-limit choices; null is unlimited. */
export const INVITE_USE_LIMITS = [1, 5, 25, null] as const;
export type InviteUseLimit = (typeof INVITE_USE_LIMITS)[number];

/** The server role an account made through the link gets. */
export const INVITE_ROLES = ["member", "guest"] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];

export type InviteState = "usable" | "expired" | "used_up" | "revoked" | "not_found";

export type InviteRow = {
  expiresAt: number | null;
  maxUses: number | null;
  uses: number;
  revokedAt: number | null;
};

/** Whether a stored link can be used now; revoked wins over expired over used up. */
export function inviteState(row: InviteRow | undefined, now: number): InviteState {
  if (!row) return "not_found";
  if (row.revokedAt !== null) return "revoked";
  if (row.expiresAt !== null && row.expiresAt <= now) return "expired";
  if (row.maxUses !== null && row.uses >= row.maxUses) return "used_up";
  return "usable";
}

/** Why a link cannot be used, in a sentence for the /invite page and refusals. */
export const INVITE_REFUSALS: Record<Exclude<InviteState, "usable">, string> = {
  expired: "This invite link has expired. Ask for a new one.",
  used_up: "This invite link has been used as many times as it allows. Ask for a new one.",
  revoked: "This invite link was revoked. Ask for a new one.",
  not_found: "This invite link does not exist. Check that you copied all of it.",
};

/** Uses left, or null for unlimited. */
export function usesLeft(row: InviteRow): number | null {
  return row.maxUses === null ? null : Math.max(0, row.maxUses - row.uses);
}

/** The refusals of the sign-up policy, naming the domains for `domain`. */
export const INVITE_ONLY_MESSAGE = "Sign-up here needs an invite link.";
export function domainOnlyMessage(domains: readonly string[]): string {
  const names = domains.length > 0 ? domains.join(", ") : "the allowed domains";
  return `Sign-up here is for addresses at ${names}.`;
}

/** The cookie the /invite page leaves so that a sign-up (email or single sign-on) carries the token. */
export const INVITE_COOKIE = "parley_invite";
