import type { Kysely } from "kysely";
import { mayAdminister, type ServerRole } from "../../core/admin-policy";
import type { WireUser } from "../../protocol/frames";
import { readServerRole } from "../auth/server-role.server";
import type { Runtime } from "../runtime.server";
import type { Database } from "../storage/schema.server";
import { requireUser } from "./auth-guard.server";

/** What every console function refuses a non-admin with (the page shows not found first). */
export const NOT_ADMIN = "Only admins can use the admin console.";

/**
 * The signed-in admin of the current request, with the role read fresh
 * from the database (a demoted admin is refused at once), or an error.
 */
export async function requireAdmin(): Promise<{
  runtime: Runtime;
  db: Kysely<Database>;
  user: WireUser;
  role: ServerRole;
}> {
  const { runtime, user } = await requireUser();
  const db = runtime.db;
  if (!db) throw new Error("no database");
  const role = await readServerRole(db, user.id);
  if (!role || !mayAdminister(role)) throw new Error(NOT_ADMIN);
  return { runtime, db, user, role };
}
