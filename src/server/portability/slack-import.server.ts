import { randomUUID } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import { checkHandle, firstFreeHandle, suggestHandle } from "../../core/handles";
import { checkDisplayName } from "../../core/names";
import { checkRoomName, roomSkeleton, slugify } from "../../core/rooms";
import { baseEmojiName, slackToParley, tsKey, tsToMs } from "../../core/slack-markup";
import type { SqlDialect } from "../storage/migrations.server";
import type { Database } from "../storage/schema.server";
import { UNCLAIMED_KIND } from "./claim.server";
import { emojiOfSlackName } from "./slack-emoji.server";
import type { SlackChannel, SlackExport, SlackMessage, SlackUser } from "./slack-zip.server";

export { readSlackZip } from "./slack-zip.server";

/** import_map's `source` for Slack, and the kinds it records. */
export const SLACK_SOURCE = "slack";
export type SlackImportSummary = {
  imported: {
    users: number;
    matched: number;
    created: number;
    rooms: number;
    members: number;
    messages: number;
    replies: number;
    reactions: number;
    files: number;
  };
  skipped: { messages: number; unsupported: number; unknownEmoji: number };
};

// Message kinds that are conversation; joins, leaves, topic changes and the
// like are Slack's own events, not messages anyone wrote.
const CONVERSATION = new Set([
  undefined,
  "thread_broadcast",
  "me_message",
  "file_share",
  "bot_message",
]);

type Map_ = Map<string, string>;

async function mapped(db: Kysely<Database>, kind: string): Promise<Map_> {
  const rows = await db
    .selectFrom("import_map")
    .select(["source_id", "parley_id"])
    .where("source", "=", SLACK_SOURCE)
    .where("kind", "=", kind)
    .execute();
  return new Map(rows.map((r) => [r.source_id, r.parley_id]));
}

async function remember(
  trx: Transaction<Database>,
  kind: string,
  sourceId: string,
  parleyId: string,
) {
  await trx
    .insertInto("import_map")
    .values({ source: SLACK_SOURCE, kind, source_id: sourceId, parley_id: parleyId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Imports a checked Slack export (readSlackZip). People are matched by
 * email or created deactivated; public channels become public rooms (a
 * channel whose name an existing public room already has joins that room,
 * so Slack's #general lands in Parley's); each channel's messages go in in
 * `ts` order, so seq follows ts, in one transaction with the room: a
 * failure leaves that channel as it was. import_map remembers every
 * person, channel and message, so a re-run imports only what is new.
 */
export async function importSlack(
  db: Kysely<Database>,
  dialect: SqlDialect,
  slack: SlackExport,
  onStep: (done: number, total: number, label: string) => void = () => {},
  now = Date.now(),
): Promise<SlackImportSummary> {
  const summary: SlackImportSummary = {
    imported: {
      users: 0,
      matched: 0,
      created: 0,
      rooms: 0,
      members: 0,
      messages: 0,
      replies: 0,
      reactions: 0,
      files: 0,
    },
    skipped: { messages: 0, unsupported: 0, unknownEmoji: 0 },
  };
  const users = await importUsers(db, dialect, slack.users, summary, now);
  const handles = new Map<string, string>();
  for (const row of await db.selectFrom("user").select(["id", "handle"]).execute()) {
    if (row.handle) handles.set(row.id, row.handle);
  }
  const channelNames = new Map(slack.channels.map((c) => [c.id, slugify(c.name) || c.name]));
  const names = {
    handleOf: (slackId: string) => {
      const id = users.get(slackId);
      return id ? handles.get(id) : undefined;
    },
    channelOf: (slackId: string) => channelNames.get(slackId),
  };
  const total = slack.channels.length;
  for (const [index, channel] of slack.channels.entries()) {
    onStep(index, total, `#${channel.name}`);
    const messages = slack.messages.get(channel.id) ?? [];
    await db.transaction().execute(async (trx) => {
      await importChannel(trx, channel, messages, { users, names, summary, now });
    });
  }
  onStep(total, total, "");
  return summary;
}

async function importUsers(
  db: Kysely<Database>,
  dialect: SqlDialect,
  slackUsers: SlackUser[],
  summary: SlackImportSummary,
  now: number,
): Promise<Map_> {
  const users = await mapped(db, "user");
  const taken = new Set(
    (await db.selectFrom("user").select("handle").execute())
      .map((r) => r.handle?.toLowerCase())
      .filter((h): h is string => Boolean(h)),
  );
  await db.transaction().execute(async (trx) => {
    for (const u of slackUsers) {
      if (users.has(u.id)) continue;
      const email = u.profile?.email?.trim().toLowerCase() || undefined;
      const match = email
        ? await trx
            .selectFrom("user")
            .select("id")
            .where(sql<string>`lower(email)`, "=", email)
            .executeTakeFirst()
        : undefined;
      let parleyId: string;
      if (match) {
        parleyId = match.id;
        summary.imported.matched++;
      } else {
        parleyId = randomUUID();
        const wanted = u.profile?.real_name || u.real_name || u.profile?.display_name || u.name;
        const name = checkDisplayName(wanted);
        const typed = checkHandle(u.name);
        const handle = firstFreeHandle(typed.ok ? typed.handle : suggestHandle(wanted), (h) =>
          taken.has(h),
        );
        taken.add(handle);
        const created = new Date(now).toISOString();
        await trx
          .insertInto("user")
          .values({
            id: parleyId,
            name: name.ok ? name.name : handle,
            handle,
            // better-auth needs an email; one that cannot receive mail marks a person Slack gave none.
            email: email ?? `${u.id.toLowerCase()}@slack-import.invalid`,
            role: "member",
            bot: u.is_bot ? 1 : 0,
            // Deactivated until they claim it: no one may sign in to an account nobody chose a password for.
            deactivated_at: now,
            ...({
              emailVerified: dialect === "sqlite" ? 0 : false,
              createdAt: created,
              updatedAt: created,
            } as object),
          } as never)
          .execute();
        if (email && !u.is_bot && !u.deleted) await remember(trx, UNCLAIMED_KIND, u.id, parleyId);
        summary.imported.created++;
      }
      await remember(trx, "user", u.id, parleyId);
      users.set(u.id, parleyId);
      summary.imported.users++;
    }
  });
  return users;
}

type ChannelContext = {
  users: Map_;
  names: Parameters<typeof slackToParley>[1];
  summary: SlackImportSummary;
  now: number;
};

async function importChannel(
  trx: Transaction<Database>,
  channel: SlackChannel,
  messages: SlackMessage[],
  { users, names, summary, now }: ChannelContext,
) {
  const roomId = await roomFor(trx, channel, users, summary, now);
  const joinedAt = channel.created ? channel.created * 1000 : now;
  for (const slackId of channel.members ?? []) {
    const userId = users.get(slackId);
    if (!userId) continue;
    const result = await trx
      .insertInto("room_member")
      .values({ room_id: roomId, user_id: userId, joined_at: joinedAt })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    summary.imported.members += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  const memberIds = new Set(
    (
      await trx.selectFrom("room_member").select("user_id").where("room_id", "=", roomId).execute()
    ).map((r) => r.user_id),
  );
  const done = new Map(
    (
      await trx
        .selectFrom("import_map")
        .select(["source_id", "parley_id"])
        .where("source", "=", SLACK_SOURCE)
        .where("kind", "=", "message")
        .where("source_id", "like", `${channel.id}:%`)
        .execute()
    ).map((r) => [r.source_id, r.parley_id]),
  );
  const room = await trx
    .selectFrom("room")
    .select("last_seq")
    .where("id", "=", roomId)
    .executeTakeFirstOrThrow();
  let seq = Number(room.last_seq);
  const roots = new Set<string>();
  // seq follows ts: sorted exactly (ts as an integer of microseconds).
  const ordered = [...messages].sort((a, b) => {
    const d = tsKey(a.ts) - tsKey(b.ts);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
  for (const m of ordered) {
    const key = `${channel.id}:${m.ts}`;
    if (done.has(key)) {
      summary.skipped.messages++;
      continue;
    }
    const authorId = m.user ? users.get(m.user) : undefined;
    if (!CONVERSATION.has(m.subtype) || !authorId) {
      summary.skipped.unsupported++;
      continue;
    }
    const id = randomUUID();
    seq++;
    const rootId =
      m.thread_ts && m.thread_ts !== m.ts ? done.get(`${channel.id}:${m.thread_ts}`) : undefined;
    const links = (m.files ?? []).map((f) => {
      const label = f.title || f.name || "file";
      const url = f.permalink || f.url_private;
      return url ? `[${label}](${url})` : label;
    });
    summary.imported.files += links.length;
    const text = [slackToParley(m.text ?? "", names), ...links].filter((t) => t !== "").join("\n");
    const createdAt = tsToMs(m.ts);
    await trx
      .insertInto("message")
      .values({
        id,
        room_id: roomId,
        seq,
        author_id: authorId,
        client_id: `slack-${m.ts}`,
        text,
        created_at: createdAt,
        edited_at: m.edited ? tsToMs(m.edited.ts) : null,
        deleted_at: null,
        thread_root_id: rootId ?? null,
        also_in_room: rootId && m.subtype === "thread_broadcast" ? 1 : 0,
        reply_participants: null,
        pinned_at: null,
        pinned_by: null,
        preview: null,
        deleted_by: null,
      })
      .execute();
    if (rootId) {
      roots.add(rootId);
      summary.imported.replies++;
    }
    const mentioned = new Set(
      [...(m.text ?? "").matchAll(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g)]
        .map((match) => users.get(match[1] ?? ""))
        .filter((u): u is string => u !== undefined && u !== authorId && memberIds.has(u)),
    );
    for (const userId of mentioned) {
      await trx
        .insertInto("message_mention")
        .values({ room_id: roomId, seq, user_id: userId })
        .execute();
    }
    for (const reaction of m.reactions ?? []) {
      const emoji = emojiOfSlackName(baseEmojiName(reaction.name));
      if (!emoji) {
        summary.skipped.unknownEmoji++;
        continue;
      }
      for (const slackId of new Set(reaction.users ?? [])) {
        const userId = users.get(slackId);
        if (!userId) continue;
        const result = await trx
          .insertInto("reaction")
          .values({ message_id: id, user_id: userId, emoji, created_at: createdAt })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        summary.imported.reactions += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
    }
    await remember(trx, "message", key, id);
    done.set(key, id);
    summary.imported.messages++;
  }
  for (const rootId of roots) await refreshThread(trx, rootId);
  await trx.updateTable("room").set({ last_seq: seq }).where("id", "=", roomId).execute();
}

/** The room a channel goes into: remembered, an existing public room of that name, or a new one. */
async function roomFor(
  trx: Transaction<Database>,
  channel: SlackChannel,
  users: Map_,
  summary: SlackImportSummary,
  now: number,
): Promise<string> {
  const known = await trx
    .selectFrom("import_map")
    .select("parley_id")
    .where("source", "=", SLACK_SOURCE)
    .where("kind", "=", "channel")
    .where("source_id", "=", channel.id)
    .executeTakeFirst();
  if (known) return known.parley_id;
  const checked = checkRoomName(channel.name);
  const name = checked.ok ? checked.name : channel.name.slice(0, 60);
  const skeleton = roomSkeleton(name);
  const existing = await trx
    .selectFrom("room")
    .select("id")
    .where((eb) =>
      eb.or([
        eb("skeleton", "=", skeleton),
        ...(channel.is_general ? [eb("is_default", "=", 1)] : []),
      ]),
    )
    .orderBy("is_default", "desc")
    .executeTakeFirst();
  let roomId: string;
  if (existing) roomId = existing.id;
  else {
    roomId = randomUUID();
    const base = slugify(name) || "channel";
    let slug = base;
    for (
      let n = 2;
      await trx.selectFrom("room").select("id").where("slug", "=", slug).executeTakeFirst();
      n++
    ) {
      slug = `${base}-${n}`;
    }
    const topic = channel.topic?.value || channel.purpose?.value || null;
    // Slack's #general on a server without its default room becomes it (everyone's room).
    const isDefault =
      channel.is_general === true &&
      !(await trx.selectFrom("room").select("id").where("is_default", "=", 1).executeTakeFirst());
    await trx
      .insertInto("room")
      .values({
        id: roomId,
        slug,
        name,
        kind: "public",
        dm_key: null,
        created_by: channel.creator ? (users.get(channel.creator) ?? null) : null,
        created_at: channel.created ? channel.created * 1000 : now,
        skeleton,
        topic: topic
          ? slackToParley(topic, { handleOf: () => undefined, channelOf: () => undefined })
          : null,
        archived_at: channel.is_archived ? now : null,
        is_default: isDefault ? 1 : 0,
      })
      .execute();
    summary.imported.rooms++;
  }
  await remember(trx, "channel", channel.id, roomId);
  return roomId;
}

/** A thread root's counters from its replies, as the thread store keeps them. */
async function refreshThread(trx: Transaction<Database>, rootId: string) {
  const replies = await trx
    .selectFrom("message")
    .select(["author_id", "created_at"])
    .where("thread_root_id", "=", rootId)
    .orderBy("seq", "desc")
    .execute();
  const participants = [...new Set(replies.map((r) => r.author_id))].slice(0, 3);
  await trx
    .updateTable("message")
    .set({
      reply_count: replies.length,
      last_reply_at: replies[0] ? Number(replies[0].created_at) : null,
      reply_participants: JSON.stringify(participants),
    })
    .where("id", "=", rootId)
    .execute();
}
