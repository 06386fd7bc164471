import type { Kysely } from "kysely";
import { type ServerRole, serverRoleOf } from "../../core/admin-policy";
import type { Database } from "../storage/schema.server";

/**
 * The user's server role, read fresh from the database (user.role) on each
 * ask, so a change by an admin shows on the next navigation or connect.
 * Undefined without a database (unit tests) or for a user who is gone.
 */
export async function readServerRole(
  db: Kysely<Database> | undefined,
  userId: string,
): Promise<ServerRole | undefined> {
  if (!db) return undefined;
  const row = await db
    .selectFrom("user")
    .select("role")
    .where("id", "=", userId)
    .executeTakeFirst();
  return row ? serverRoleOf(row.role) : undefined;
}
