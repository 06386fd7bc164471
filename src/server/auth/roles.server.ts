import { type Kysely, sql } from "kysely";

/** A fixed key for PostgreSQL's advisory lock around the first-owner rule. */
const FIRST_OWNER_LOCK = 0x5041_524c; // "PARL"

/**
 * The first account to sign up becomes the server's owner (issue 14).
 * Called after better-auth inserted the user: the update gives `owner` only
 * while no owner exists. SQLite has one writer, so the check and the write
 * cannot interleave; on PostgreSQL two first sign-ups racing on different
 * instances could both see "no owner" under READ COMMITTED, so the update
 * runs under a transaction-scoped advisory lock.
 */
export async function makeFirstUserOwner(
  db: Kysely<never>,
  userId: string,
  dialect: "sqlite" | "postgres",
): Promise<void> {
  const promote = sql`update "user" set role = 'owner' where id = ${userId}
    and not exists (select 1 from "user" where role = 'owner')`;
  if (dialect === "sqlite") {
    await promote.execute(db);
    return;
  }
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${FIRST_OWNER_LOCK})`.execute(trx);
    await promote.execute(trx);
  });
}
