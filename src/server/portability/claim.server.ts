import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.server";

/** import_map's kind for an account an import created that nobody has claimed yet. */
export const UNCLAIMED_KIND = "unclaimed";

/**
 * A password reset claims an account the Slack import created: the
 * importer made it deactivated (nobody had chosen a password for it) and
 * left an `unclaimed` row; the first reset (which proves the mailbox)
 * removes the row and reactivates the account, in one transaction. An
 * account an admin deactivated has no such row and stays deactivated.
 * Answers whether this reset claimed one.
 */
export async function claimImportedAccount(db: Kysely<Database>, userId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom("import_map")
      .where("kind", "=", UNCLAIMED_KIND)
      .where("parley_id", "=", userId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return false;
    await trx.updateTable("user").set({ deactivated_at: null }).where("id", "=", userId).execute();
    return true;
  });
}
