import { type Kysely, sql, type Transaction } from "kysely";
import {
  type ExportCounts,
  type MemberLine,
  type MessageLine,
  parseExportLine,
  type RoomLine,
  type UserLine,
} from "../../core/export-format";
import { roomSkeleton } from "../../core/rooms";
import type { SqlDialect } from "../storage/migrations.server";
import type { Database } from "../storage/schema.server";

/** What a Parley import did: rows written, and rows already there (a re-run, or the same server). */
export type ParleyImportSummary = {
  imported: ExportCounts & { reactions: number; files: number };
  skipped: { users: number; rooms: number; messages: number };
};

type Parsed = {
  users: UserLine[];
  rooms: RoomLine[];
  members: MemberLine[];
  messages: Map<string, MessageLine[]>;
};

/** Thrown for input the importer refuses; nothing was written when it is. */
export class ImportError extends Error {}

/**
 * Reads every line first and refuses the file before writing anything when
 * a line is malformed, out of place, names a room it did not declare, or
 * the `end` line is missing or disagrees (a cut-off file).
 */
export async function parseExport(lines: AsyncIterable<string>, file: string): Promise<Parsed> {
  const parsed: Parsed = { users: [], rooms: [], members: [], messages: new Map() };
  let lineNo = 0;
  let header = false;
  let end: ExportCounts | undefined;
  for await (const text of lines) {
    lineNo++;
    if (text.trim() === "") continue;
    const fail = (why: string): never => {
      throw new ImportError(`${file}: line ${lineNo}: ${why}`);
    };
    if (end) fail("text after the end line");
    const result = parseExportLine(text, lineNo);
    if (!result.ok) throw new ImportError(`${file}: ${result.error}`);
    const line = result.line;
    if (!header && line.type !== "header") fail("the first line must be the header");
    switch (line.type) {
      case "header":
        if (header) fail("a second header");
        if (line.scope === "self") {
          fail("a self-export holds one person's messages only and cannot be imported");
        }
        header = true;
        break;
      case "user":
        parsed.users.push(line);
        break;
      case "room":
        parsed.rooms.push(line);
        parsed.messages.set(line.id, []);
        break;
      case "member":
        if (!parsed.messages.has(line.roomId)) fail(`member of undeclared room ${line.roomId}`);
        parsed.members.push(line);
        break;
      case "message": {
        const list =
          parsed.messages.get(line.roomId) ?? fail(`message in undeclared room ${line.roomId}`);
        const last = list[list.length - 1];
        if (last && last.seq >= line.seq) fail(`seq ${line.seq} does not follow ${last.seq}`);
        list.push(line);
        break;
      }
      case "end":
        end = line.counts;
        break;
    }
  }
  if (!header) throw new ImportError(`${file}: empty, no header line`);
  if (!end) throw new ImportError(`${file}: no end line: the file is cut off`);
  const messages = [...parsed.messages.values()].reduce((n, list) => n + list.length, 0);
  const found = {
    users: parsed.users.length,
    rooms: parsed.rooms.length,
    members: parsed.members.length,
    messages,
  };
  for (const key of Object.keys(found) as (keyof ExportCounts)[]) {
    if (found[key] !== end[key]) {
      throw new ImportError(
        `${file}: the end line counts ${end[key]} ${key}, the file holds ${found[key]}`,
      );
    }
  }
  return parsed;
}

/**
 * Writes a parsed export into an empty server, or into the server it came
 * from (rows keep their ids; those already present are left as they are).
 * A user or room whose id is new but whose email, handle, slug or name is
 * taken by another row is refused up front, before anything is written.
 * Users go in one transaction, then each room with its members and
 * messages in its own.
 */
export async function importParley(
  db: Kysely<Database>,
  dialect: SqlDialect,
  parsed: Parsed,
  onRoom: (done: number, total: number, name: string) => void = () => {},
): Promise<ParleyImportSummary> {
  const summary: ParleyImportSummary = {
    imported: { users: 0, rooms: 0, members: 0, messages: 0, reactions: 0, files: 0 },
    skipped: { users: 0, rooms: 0, messages: 0 },
  };
  const newUsers = await checkUsers(db, parsed.users);
  const newRooms = await checkRooms(db, parsed.rooms);
  summary.skipped.users = parsed.users.length - newUsers.length;
  await db.transaction().execute(async (trx) => {
    for (const u of newUsers) {
      const created = new Date(u.createdAt).toISOString();
      await trx
        .insertInto("user")
        .values({
          id: u.id,
          name: u.name,
          handle: u.handle,
          // better-auth requires an email; an export always has one for a person.
          email: u.email ?? `${u.id}@import.invalid`,
          role: u.role,
          bot: u.bot ? 1 : 0,
          deactivated_at: u.deactivatedAt,
          // better-auth's own columns: a boolean and dates, spelled per driver.
          ...({
            emailVerified: dialect === "sqlite" ? 0 : false,
            createdAt: created,
            updatedAt: created,
          } as object),
        } as never)
        .execute();
    }
  });
  summary.imported.users = newUsers.length;
  let done = 0;
  for (const room of parsed.rooms) {
    onRoom(done, parsed.rooms.length, room.name);
    const isNew = newRooms.has(room.id);
    const members = parsed.members.filter((m) => m.roomId === room.id);
    const messages = parsed.messages.get(room.id) ?? [];
    await db.transaction().execute(async (trx) => {
      if (isNew) await insertRoom(trx, room);
      for (const m of members) {
        const result = await trx
          .insertInto("room_member")
          .values({
            room_id: m.roomId,
            user_id: m.userId,
            joined_at: m.joinedAt,
            role: m.role,
            last_read_seq: m.lastReadSeq,
            muted: m.muted ? 1 : 0,
            mod_muted: m.modMuted ? 1 : 0,
            notify_level: m.notifyLevel,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        summary.imported.members += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      const written = await insertMessages(trx, messages);
      summary.imported.messages += written.messages;
      summary.imported.reactions += written.reactions;
      summary.imported.files += written.files;
      summary.skipped.messages += messages.length - written.messages;
      // The room's counters never go back: new messages continue after the highest.
      await trx
        .updateTable("room")
        .set({
          last_seq: sql<number>`case when last_seq < ${room.lastSeq} then ${room.lastSeq} else last_seq end`,
          last_rev: sql<number>`case when last_rev < ${room.lastRev} then ${room.lastRev} else last_rev end`,
        })
        .where("id", "=", room.id)
        .execute();
    });
    if (isNew) summary.imported.rooms++;
    else summary.skipped.rooms++;
    done++;
  }
  onRoom(done, parsed.rooms.length, "");
  return summary;
}

/** The users to insert; throws naming each one that collides with a different account. */
async function checkUsers(db: Kysely<Database>, users: UserLine[]): Promise<UserLine[]> {
  const fresh: UserLine[] = [];
  const clashes: string[] = [];
  for (const u of users) {
    const same = await db.selectFrom("user").select("id").where("id", "=", u.id).executeTakeFirst();
    if (same) continue;
    const other = await db
      .selectFrom("user")
      .select(["id", "email", "handle"])
      .where((eb) =>
        eb.or([
          ...(u.email ? [eb(eb.fn("lower", ["email"]), "=", u.email.toLowerCase())] : []),
          ...(u.handle ? [eb(eb.fn("lower", ["handle"]), "=", u.handle.toLowerCase())] : []),
        ]),
      )
      .executeTakeFirst();
    if (other && (u.email || u.handle)) {
      clashes.push(`user ${u.id} (@${u.handle ?? "?"}): another account has its email or handle`);
      continue;
    }
    fresh.push(u);
  }
  if (clashes.length > 0) {
    throw new ImportError(
      `nothing imported: ${clashes.join("; ")}. Import into an empty server or the one the file came from.`,
    );
  }
  return fresh;
}

/** The ids of the rooms to insert; throws naming each one that collides with a different room. */
async function checkRooms(db: Kysely<Database>, rooms: RoomLine[]): Promise<Set<string>> {
  const fresh = new Set<string>();
  const clashes: string[] = [];
  for (const r of rooms) {
    const same = await db.selectFrom("room").select("id").where("id", "=", r.id).executeTakeFirst();
    if (same) continue;
    const skeleton = r.kind === "public" ? roomSkeleton(r.name) : null;
    const other = await db
      .selectFrom("room")
      .select("id")
      .where((eb) =>
        eb.or([
          eb("slug", "=", r.slug),
          ...(skeleton ? [eb("skeleton", "=", skeleton)] : []),
          ...(r.dmKey ? [eb("dm_key", "=", r.dmKey)] : []),
          ...(r.isDefault ? [eb("is_default", "=", 1)] : []),
        ]),
      )
      .executeTakeFirst();
    if (other) {
      clashes.push(`room ${r.slug}: another room has its name, slug or place`);
      continue;
    }
    fresh.add(r.id);
  }
  if (clashes.length > 0) {
    throw new ImportError(
      `nothing imported: ${clashes.join("; ")}. Import into an empty server or the one the file came from.`,
    );
  }
  return fresh;
}

async function insertRoom(trx: Transaction<Database>, r: RoomLine) {
  await trx
    .insertInto("room")
    .values({
      id: r.id,
      slug: r.slug,
      name: r.name,
      kind: r.kind,
      dm_key: r.dmKey,
      created_by: r.createdBy,
      created_at: r.createdAt,
      skeleton: r.kind === "public" ? roomSkeleton(r.name) : null,
      is_default: r.isDefault ? 1 : 0,
      topic: r.topic,
      announcement_only: r.announcementOnly ? 1 : 0,
      archived_at: r.archivedAt,
      retention_days: r.retentionDays,
      last_seq: r.lastSeq,
      last_rev: r.lastRev,
    })
    .execute();
}

/** The messages not already present (by id), with their reactions, files and mentions. */
async function insertMessages(trx: Transaction<Database>, messages: MessageLine[]) {
  const written = { messages: 0, reactions: 0, files: 0 };
  for (const m of messages) {
    const present = await trx
      .selectFrom("message")
      .select("id")
      .where("id", "=", m.id)
      .executeTakeFirst();
    if (present) continue;
    await trx
      .insertInto("message")
      .values({
        id: m.id,
        room_id: m.roomId,
        seq: m.seq,
        author_id: m.authorId,
        client_id: m.clientId,
        text: m.text,
        created_at: m.createdAt,
        edited_at: m.editedAt,
        deleted_at: m.deletedAt,
        deleted_by: m.deletedBy,
        rev: m.rev,
        thread_root_id: m.threadRootId,
        also_in_room: m.alsoInRoom ? 1 : 0,
        reply_count: m.replyCount,
        last_reply_at: m.lastReplyAt,
        reply_participants: m.replyParticipants ? JSON.stringify(m.replyParticipants) : null,
        pinned_at: m.pinnedAt,
        pinned_by: m.pinnedBy,
        preview: null,
        via: m.via ? JSON.stringify(m.via) : null,
      })
      .execute();
    written.messages++;
    for (const userId of m.mentions) {
      await trx
        .insertInto("message_mention")
        .values({ room_id: m.roomId, seq: m.seq, user_id: userId })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    for (const x of m.reactions) {
      await trx
        .insertInto("reaction")
        .values({ message_id: m.id, user_id: x.userId, emoji: x.emoji, created_at: x.createdAt })
        .onConflict((oc) => oc.doNothing())
        .execute();
      written.reactions++;
    }
    for (const f of m.files) {
      await trx
        .insertInto("file")
        .values({
          id: f.id,
          uploader_id: f.uploaderId,
          name: f.name,
          size: f.size,
          content_type: f.contentType,
          blob_key: f.blobKey,
          thumb_key: f.thumbKey,
          width: f.width,
          height: f.height,
          created_at: f.createdAt,
          purpose: "attachment",
          room_id: m.roomId,
          message_id: m.id,
          position: f.position,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      written.files++;
    }
  }
  return written;
}
