/**
 * Who may administer the server (issue 14): the server-role rules of the
 * /admin console, pure like core/policy.ts and tested as a table
 * (test/unit/admin-policy.test.ts). The caller reads the actor's role fresh
 * from the database (user.role) and the target's facts, asks, then writes.
 */

import { serverRoles } from "../protocol/frames";

/** The four server roles, highest first. */
export const SERVER_ROLES = serverRoles;
export type ServerRole = (typeof SERVER_ROLES)[number];

export function isServerRole(value: unknown): value is ServerRole {
  return typeof value === "string" && (SERVER_ROLES as readonly string[]).includes(value);
}

/** A stored role as the rules read it: anything unknown counts as a member. */
export function serverRoleOf(value: unknown): ServerRole {
  return isServerRole(value) ? value : "member";
}

export type AdminDecision = { ok: true } | { ok: false; error: string };

const ALLOWED: AdminDecision = Object.freeze({ ok: true });
const no = (error: string): AdminDecision => ({ ok: false, error });

/** Owners and admins use the console; members and guests never see it. */
export function mayAdminister(role: ServerRole | null | undefined): boolean {
  return role === "owner" || role === "admin";
}

/**
 * Setting how long messages are kept (issue 15: server-wide and per room):
 * the sweep deletes everyone's history past it, so it is the server's
 * admins' alone, never a room moderator's.
 */
export function maySetRetention(role: ServerRole | null | undefined): AdminDecision {
  return mayAdminister(role) ? ALLOWED : no("Only admins can change how long messages are kept.");
}

/**
 * Downloading a room's whole history (issue 15, /admin/rooms "Export"):
 * admins only, private rooms and DMs included, as the console lists them.
 */
export function mayExportRoom(role: ServerRole | null | undefined): AdminDecision {
  return mayAdminister(role) ? ALLOWED : no("Only admins can export a room.");
}

/** The people a role change concerns. */
export type RoleActor = { id: string; role: ServerRole };
export type RoleTarget = { id: string; role: ServerRole };

/**
 * Changing someone's server role. Admins set member, guest or admin on
 * members, guests and (only to keep them admin) nobody above them; only an
 * owner grants owner, takes it away or demotes an admin; the last owner
 * keeps it; nobody changes their own role (another owner or admin does).
 * `owners`: how many owners the server has now.
 */
export function mayChangeRole(
  actor: RoleActor,
  target: RoleTarget,
  newRole: ServerRole,
  owners: number,
): AdminDecision {
  if (!mayAdminister(actor.role)) return no("Only an admin can change roles.");
  if (actor.id === target.id) return no("You cannot change your own role.");
  if (target.role === newRole) return no(`They are already ${article(newRole)}.`);
  const owner = actor.role === "owner";
  if ((newRole === "owner" || target.role === "owner") && !owner) {
    return no("Only an owner can grant or remove the owner role.");
  }
  if (target.role === "admin" && !owner) return no("Only an owner can change an admin's role.");
  if (target.role === "owner" && owners <= 1) {
    return no("The last owner keeps the role: make someone else owner first.");
  }
  return ALLOWED;
}

/** The facts a deactivation decides on. */
export type DeactivateTarget = { id: string; role: ServerRole };

/** Deactivating (or reactivating) an account: an admin, not oneself, an owner only by an owner. */
export function mayDeactivate(actor: RoleActor, target: DeactivateTarget): AdminDecision {
  if (!mayAdminister(actor.role)) return no("Only an admin can deactivate accounts.");
  if (actor.id === target.id) return no("You cannot deactivate your own account.");
  if (target.role === "owner" && actor.role !== "owner") {
    return no("Only an owner can deactivate an owner.");
  }
  return ALLOWED;
}

/**
 * The scopes a new personal access token may carry (issue 15): `admin`
 * only for an owner or admin (a bot is a member, so never for a bot's
 * token); read and write for anyone. `role` is the token owner's, read
 * fresh.
 */
export function mayGrantScopes(
  role: ServerRole | null | undefined,
  scopes: readonly string[],
): AdminDecision {
  if (scopes.includes("admin") && !mayAdminister(role)) {
    return no("Only an owner or admin can make a token with the admin scope.");
  }
  return ALLOWED;
}

/** Creating bots and managing their tokens: the console's admins. */
export function mayManageBots(role: ServerRole | null | undefined): AdminDecision {
  return mayAdminister(role) ? ALLOWED : no("Only an admin can manage bots.");
}

export function mayManageCommands(role: ServerRole | null | undefined): AdminDecision {
  return mayAdminister(role) ? ALLOWED : no("Only an admin can manage slash commands.");
}

function article(role: ServerRole): string {
  return role === "owner" || role === "admin" ? `an ${role}` : `a ${role}`;
}
