/**
 * The audit log's vocabulary (issue 14): every administrative or moderation
 * action Parley records. One name per action, `<what>.<verb>`, so the
 * /admin/audit filter can offer the list and a reader can tell them apart.
 * The row is written in the same transaction as the change it records
 * (server/storage/audit.server.ts writeAudit), so a change without its row,
 * or a row without its change, cannot happen.
 */
export const AUDIT_ACTIONS = [
  // moderation in a room (admins anywhere, moderators in their room)
  "message.delete",
  "member.remove",
  "member.ban",
  "member.unban",
  "member.mute",
  "member.unmute",
  "member.role",
  "room.announcement",
  "room.archive",
  "room.unarchive",
  "room.rename",
  "room.topic",
  "room.delete",
  // administration of the server
  "user.role",
  "user.deactivate",
  "user.reactivate",
  "user.password_reset",
  "settings.update",
  "invite.create",
  "invite.revoke",
  // retention (issue 15): a limit set, and each sweep that deleted something
  "retention.update",
  "retention.sweep",
  // data portability (issue 15)
  "room.export",
  // bots and their tokens (issue 15); a person's own tokens are theirs, not audited
  "bot.create",
  "token.create",
  "token.revoke",
  // webhooks (issue 15), incoming and outgoing: a room's moderators, or admins server-wide
  "webhook.create",
  "webhook.revoke",
  // custom slash commands (issue 15): admins
  "command.create",
  "command.delete",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit row as it is written; `details` must be JSON-serialisable. */
export type AuditEntry = {
  actorId: string;
  action: AuditAction;
  targetUserId?: string | null;
  roomId?: string | null;
  details?: Record<string, unknown>;
};

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && (AUDIT_ACTIONS as readonly string[]).includes(value);
}
