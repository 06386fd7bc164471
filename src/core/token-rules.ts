import { SCOPES, type Scope } from "./scopes";

/**
 * What a new personal access token must be (issue 15), checked the same
 * for a person's own token (/settings/tokens) and a bot's (/admin/bots):
 * a name of 1..80 characters, at least one known scope, and an expiry in
 * the future or none. Pure; who may grant `admin` is admin-policy's
 * mayGrantScopes.
 */
export const TOKEN_NAME_MAX = 80;

/** The expiry choices the dialog offers, in days (null: never). */
export const TOKEN_EXPIRY_DAYS = [null, 7, 30, 90, 365] as const;

export type TokenRequest = { name: string; scopes: readonly string[]; expiresAt: number | null };

export type CheckedToken =
  | { ok: true; name: string; scopes: Scope[]; expiresAt: number | null }
  | { ok: false; error: string };

export function checkTokenRequest(request: TokenRequest, now: number): CheckedToken {
  const name = request.name.trim();
  if (name.length === 0) return { ok: false, error: "Give the token a name." };
  if ([...name].length > TOKEN_NAME_MAX) {
    return { ok: false, error: `A token name is at most ${TOKEN_NAME_MAX} characters.` };
  }
  const unknown = request.scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown !== undefined) return { ok: false, error: `Unknown scope "${unknown}".` };
  const scopes = SCOPES.filter((s) => request.scopes.includes(s));
  if (scopes.length === 0) return { ok: false, error: "Choose at least one scope." };
  const { expiresAt } = request;
  if (expiresAt !== null && (!Number.isFinite(expiresAt) || expiresAt <= now)) {
    return { ok: false, error: "The expiry must be in the future." };
  }
  return { ok: true, name, scopes, expiresAt };
}

/** The expiry of a token made now that lasts `days` (null: never). */
export function expiryAfter(days: number | null, now: number): number | null {
  return days === null ? null : now + days * 86_400_000;
}
