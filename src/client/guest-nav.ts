// What the Rooms nav offers by server role (issue 14). A guest sees only
// the rooms they are invited to and cannot create one, so the entry points
// to the directory and to creating rooms are left out for them. The server
// refuses both anyway (mayJoin, mayCreateRoom); this only keeps the UI
// from offering what would be refused.
import type { ServerRole } from "../core/policy";

/** Whether the nav shows "Browse rooms" and the "New room" form. */
export function offersRoomEntryPoints(role: ServerRole | null | undefined): boolean {
  // Before `ready` says who this is the role is unknown: members are the
  // many, and a guest's click would only be refused, so show them.
  return role !== "guest";
}
