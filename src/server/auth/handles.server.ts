import { APIError } from "better-auth/api";
import { type Kysely, sql } from "kysely";
import { checkHandle, firstFreeHandle, suggestHandle } from "../../core/handles";

/** The clear refusal of a handle someone already has (400 HANDLE_TAKEN). */
export const HANDLE_TAKEN_MESSAGE = "That handle is taken. Try another.";

/** The id of the user holding this handle (any case), if anyone does. */
export async function handleOwner(db: Kysely<never>, handle: string): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    select id from "user" where lower(handle) = ${handle.toLowerCase()} limit 1`.execute(db);
  return rows[0]?.id;
}

/**
 * A free handle for a name, for a sign-up that sent none (API clients,
 * older forms): the suggestion, else it with the first free number.
 * Two such sign-ups racing for one can still collide; the unique index
 * refuses the loser like any taken handle.
 */
export async function freeHandleFor(db: Kysely<never>, name: string): Promise<string> {
  const base = suggestHandle(name);
  const { rows } = await sql<{ handle: string }>`
    select lower(handle) as handle from "user"
    where substr(lower(handle), 1, ${base.length}) = ${base}`.execute(db);
  const taken = new Set(rows.map((row) => row.handle));
  return firstFreeHandle(base, (h) => taken.has(h));
}

/**
 * The handle about to be stored, in its stored form: refuses a malformed
 * one (400 INVALID_HANDLE) and one another user holds (400 HANDLE_TAKEN);
 * gives a new account without one a free handle from its name.
 */
export async function checkedHandle<T extends Record<string, unknown>>(
  db: Kysely<never>,
  data: T,
  mode: { create: true } | { create: false; userId: string | undefined },
): Promise<T> {
  if (data.handle === undefined || data.handle === null || data.handle === "") {
    if (!mode.create) return data;
    return { ...data, handle: await freeHandleFor(db, String(data.name ?? "")) };
  }
  const checked = checkHandle(data.handle);
  if (!checked.ok) {
    throw new APIError("BAD_REQUEST", { code: "INVALID_HANDLE", message: checked.error });
  }
  const owner = await handleOwner(db, checked.handle);
  if (owner !== undefined && (mode.create || owner !== mode.userId)) {
    throw new APIError("BAD_REQUEST", { code: "HANDLE_TAKEN", message: HANDLE_TAKEN_MESSAGE });
  }
  return { ...data, handle: checked.handle };
}
