/**
 * What a personal access token may do (issue 15): `read` (GET endpoints,
 * a socket), `write` (posts, edits, reactions, joins), `admin` (what an
 * admin may do, for an admin's token). Pure: the API's handlers and the
 * token UI share it.
 */
export const SCOPES = ["read", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** Stored comma list to scopes; unknown words are dropped (never granted). */
export function parseScopes(stored: string): Scope[] {
  return stored
    .split(",")
    .map((s) => s.trim())
    .filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));
}

/**
 * Whether a token with `scopes` may do what needs `needed`: admin implies
 * write and read, write implies read.
 */
export function scopeAllows(scopes: readonly Scope[], needed: Scope): boolean {
  const rank = { read: 0, write: 1, admin: 2 } as const;
  return scopes.some((s) => rank[s] >= rank[needed]);
}
