import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { AppendInput } from "../../ports";
import {
  type Appender,
  type AppendOutcome,
  explainNoBump,
  mentionedIds,
  storedMessage,
  viaJson,
} from "./append-shared.server";
import { postFacts, roomTakesPostsSql } from "./post-gate.server";
import type { Database } from "./schema.server";

/**
 * An append as one statement, so one round trip and its own transaction.
 * The seq bump takes the room row's lock, which serialises writers per room
 * across every instance: waiting writers see the committed last_seq, so seq
 * stays gap-free and strictly increasing. The bump is gated like SQLite's
 * (room exists, client id unused, author a member for sends). Two sends of
 * one client id racing past that check: the loser's insert violates the
 * unique key, which aborts its whole statement, seq bump included.
 */
export function createPostgresAppender(db: Kysely<Database>, now: () => number): Appender {
  return async (input) => {
    const { roomId, author, clientId, text } = input;
    const id = randomUUID();
    const createdAt = now();
    try {
      const { rows } = await sql<{ seq: number }>`
        with bumped as (
          update room set last_seq = last_seq + 1
          where id = ${roomId}
            and exists (select 1 from room_member
              where room_id = ${roomId} and user_id = ${author.id} and mod_muted = 0)
            and ${roomTakesPostsSql(roomId, author.id)}
            and not exists (select 1 from message
              where room_id = ${roomId} and author_id = ${author.id} and client_id = ${clientId})
          returning last_seq
        ), inserted as (
          insert into message (id, room_id, seq, author_id, client_id, text, created_at, rev, via)
          select ${id}, ${roomId}, last_seq, ${author.id}, ${clientId}, ${text}, ${createdAt}, 0,
            ${viaJson(input)}
          from bumped
          returning seq
        ), mentioned as (
          insert into message_mention (room_id, seq, user_id)
          select ${roomId}, inserted.seq, mentioned_id
          from inserted, unnest(${mentionedIds(input)}::text[]) as mentioned_id
        ), marked as (
          update room_member set last_read_seq = inserted.seq from inserted
          where room_id = ${roomId} and user_id = ${author.id} and last_read_seq < inserted.seq
        )
        select seq from inserted`.execute(db);
      const seq = rows[0]?.seq;
      if (seq !== undefined) {
        return { kind: "stored", message: storedMessage(input, id, Number(seq), createdAt) };
      }
    } catch (error) {
      if (isClientIdTaken(error)) return { kind: "duplicate" };
      throw error;
    }
    return explain(db, input);
  };
}

/** Why the bump matched nothing: no room, not a member, or the id was used. */
async function explain(db: Kysely<Database>, input: AppendInput): Promise<AppendOutcome> {
  const { roomId, author, clientId } = input;
  const { rows } = await sql<{ room: boolean; member: boolean; sent: boolean; muted: boolean }>`
    select exists (select 1 from room where id = ${roomId}) as room,
      exists (select 1 from room_member where room_id = ${roomId} and user_id = ${author.id}) as member,
      exists (select 1 from message
        where room_id = ${roomId} and author_id = ${author.id} and client_id = ${clientId}) as sent,
      exists (select 1 from room_member
        where room_id = ${roomId} and user_id = ${author.id} and mod_muted = 1) as muted`.execute(
    db,
  );
  const facts = rows[0] ?? { room: false, member: false, sent: false, muted: false };
  return explainNoBump({ ...facts, post: await postFacts(db, roomId, author.id) }, input);
}

/** A unique violation on (room_id, author_id, client_id): another append of this id won. */
export function isClientIdTaken(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  return code === "23505" && constraint === "message_room_author_client";
}
