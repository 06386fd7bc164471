import { z } from "zod";

/**
 * Parley's export format (docs/export-format.md): JSON Lines, one object a
 * line, each with a `type`. A header first, then users, rooms, members and
 * messages (per room, in seq order), then an `end` line with the counts so
 * that a cut-off file is refused rather than half imported. Times are unix
 * milliseconds. The same schemas write and read it, so what the exporter
 * emits is exactly what the importer accepts.
 */
export const EXPORT_FORMAT = "parley-export";
export const EXPORT_VERSION = 1;

const ms = z.number().int().nonnegative();
const id = z.string().min(1).max(200);

export const headerLine = z.object({
  type: z.literal("header"),
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: ms,
  /** server: everything; room: one room (admin console); self: one user's own (GDPR). */
  scope: z.enum(["server", "room", "self"]),
});

export const userLine = z.object({
  type: z.literal("user"),
  id,
  name: z.string(),
  handle: z.string().nullable(),
  email: z.string().nullable(),
  role: z.string(),
  bot: z.boolean(),
  deactivatedAt: ms.nullable(),
  createdAt: ms,
  /** In a self-export only: the person's own status and time zone. */
  profile: z
    .object({
      statusText: z.string().nullable(),
      statusEmoji: z.string().nullable(),
      timeZone: z.string().nullable(),
    })
    .nullable()
    .optional(),
});

export const roomLine = z.object({
  type: z.literal("room"),
  id,
  slug: z.string().min(1),
  name: z.string(),
  kind: z.enum(["public", "private", "dm"]),
  dmKey: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: ms,
  topic: z.string().nullable(),
  isDefault: z.boolean(),
  announcementOnly: z.boolean(),
  archivedAt: ms.nullable(),
  retentionDays: z.number().int().positive().nullable(),
  lastSeq: z.number().int().nonnegative(),
  lastRev: z.number().int().nonnegative(),
});

export const memberLine = z.object({
  type: z.literal("member"),
  roomId: id,
  userId: id,
  joinedAt: ms,
  role: z.string(),
  lastReadSeq: z.number().int().nonnegative(),
  muted: z.boolean(),
  modMuted: z.boolean(),
  notifyLevel: z.string().nullable(),
});

export const reactionPart = z.object({ userId: id, emoji: z.string().min(1), createdAt: ms });

/** A file's row: the bytes stay in the file store (copy PARLEY_DATA_DIR/files, or the bucket). */
export const filePart = z.object({
  id,
  uploaderId: id,
  name: z.string(),
  size: z.number().int().nonnegative(),
  contentType: z.string(),
  blobKey: z.string(),
  thumbKey: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  createdAt: ms,
  position: z.number().int().nonnegative(),
});

export const messageLine = z.object({
  type: z.literal("message"),
  id,
  roomId: id,
  seq: z.number().int().positive(),
  authorId: id,
  clientId: z.string().min(1),
  text: z.string(),
  createdAt: ms,
  editedAt: ms.nullable(),
  deletedAt: ms.nullable(),
  deletedBy: z.string().nullable(),
  rev: z.number().int().nonnegative(),
  /** A reply's root message id; null on other messages. */
  threadRootId: z.string().nullable(),
  alsoInRoom: z.boolean(),
  replyCount: z.number().int().nonnegative(),
  lastReplyAt: ms.nullable(),
  replyParticipants: z.array(z.string()).nullable(),
  pinnedAt: ms.nullable(),
  pinnedBy: z.string().nullable(),
  via: z.record(z.string(), z.unknown()).nullable(),
  mentions: z.array(id),
  reactions: z.array(reactionPart),
  files: z.array(filePart),
});

export const endLine = z.object({
  type: z.literal("end"),
  counts: z.object({
    users: z.number().int().nonnegative(),
    rooms: z.number().int().nonnegative(),
    members: z.number().int().nonnegative(),
    messages: z.number().int().nonnegative(),
  }),
});

export const exportLine = z.discriminatedUnion("type", [
  headerLine,
  userLine,
  roomLine,
  memberLine,
  messageLine,
  endLine,
]);

export type HeaderLine = z.infer<typeof headerLine>;
export type UserLine = z.infer<typeof userLine>;
export type RoomLine = z.infer<typeof roomLine>;
export type MemberLine = z.infer<typeof memberLine>;
export type MessageLine = z.infer<typeof messageLine>;
export type EndLine = z.infer<typeof endLine>;
export type ExportLine = z.infer<typeof exportLine>;
export type ExportCounts = EndLine["counts"];

/** One line parsed, or why not, in words that name the line. */
export function parseExportLine(
  text: string,
  lineNo: number,
): { ok: true; line: ExportLine } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `line ${lineNo}: not JSON` };
  }
  const parsed = exportLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    return { ok: false, error: `line ${lineNo}: ${issue?.message ?? "invalid"}${where}` };
  }
  return { ok: true, line: parsed.data };
}
