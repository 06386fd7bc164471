import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AppendInput } from "../../ports";
import {
  type Appender,
  type AppendOutcome,
  explainNoBump,
  mentionedIds,
  storedMessage,
  viaJson,
} from "./append-shared.server";
import { SQLITE_POST_FACTS, SQLITE_ROOM_TAKES_POSTS, toPostFacts } from "./post-gate.server";
import type { Database } from "./schema.server";
import type { SqliteHandle } from "./sqlite.server";

// The seq bump is the gate: it touches the room row only when the room
// exists, the author has not used this client id there yet and the author
// is a member, so a refused or repeated append writes nothing and needs no
// savepoint. One writer per SQLite file makes the checks exact.
const BUMP = `update room set last_seq = last_seq + 1 where id = ?1
  and not exists (select 1 from message where room_id = ?1 and author_id = ?2 and client_id = ?3)
  and exists (select 1 from room_member where room_id = ?1 and user_id = ?2 and mod_muted = 0)
  ${SQLITE_ROOM_TAKES_POSTS} returning last_seq`;
// via: an incoming webhook's name and overrides (issue 15), null on every other send.
const INSERT = `insert into message (id, room_id, seq, author_id, client_id, text, created_at, edited_at, deleted_at, rev, via)
  values (?, ?, ?, ?, ?, ?, ?, null, null, 0, ?)`;
const MENTION = "insert into message_mention (room_id, seq, user_id) values (?, ?, ?)";
// Writing in a room means having read it up to here.
const MARK_READ =
  "update room_member set last_read_seq = ?3 where room_id = ?1 and user_id = ?2 and last_read_seq < ?3";
const FACTS = `select exists (select 1 from room where id = ?1) as room,
  exists (select 1 from room_member where room_id = ?1 and user_id = ?2) as member,
  exists (select 1 from message where room_id = ?1 and author_id = ?2 and client_id = ?3) as sent,
  exists (select 1 from room_member where room_id = ?1 and user_id = ?2 and mod_muted = 1) as muted`;

/** Most appends in one transaction, so one batch cannot hold the event loop for long. */
const MAX_BATCH = 256;

type Pending = {
  input: AppendInput;
  resolve(outcome: AppendOutcome): void;
  reject(error: unknown): void;
};

/** An append's outcome in the batch: a failure that wrote nothing does not undo the others. */
type Outcome = AppendOutcome | { kind: "failed"; error: unknown };
type Facts = { room: number; member: number; sent: number; muted: number };

const rejectAll = (requests: Pending[], error: unknown) => {
  for (const request of requests) request.reject(error);
};

/**
 * Group commit: appends that arrive while the event loop is busy (the same
 * turn, or while the connection is held) share one transaction, and each
 * resolves only after that COMMIT, so an ack still means committed. A
 * statement failing for one append rolls the batch back and runs the others
 * again without it; they do not fail with it.
 */
export function createSqliteAppender(
  db: Kysely<Database>,
  { raw, statements, gate }: SqliteHandle,
  now: () => number,
): Appender {
  let queue: Pending[] = [];
  let scheduled = false;

  const run = (sql: string, ...params: (string | number)[]) => statements.get(sql).run(...params);

  function applyOne({ input }: Pending): Outcome {
    const { roomId, author, clientId, text } = input;
    const bumped = statements.get(BUMP).get(roomId, author.id, clientId) as
      | { last_seq: number }
      | undefined;
    if (!bumped) {
      const facts = statements.get(FACTS).get(roomId, author.id, clientId) as Facts;
      const post = toPostFacts(
        statements.get(SQLITE_POST_FACTS).get(roomId, author.id) as Parameters<
          typeof toPostFacts
        >[0],
      );
      const known = {
        room: facts.room === 1,
        member: facts.member === 1,
        sent: facts.sent === 1,
        muted: facts.muted === 1,
        post,
      };
      try {
        return explainNoBump(known, input);
      } catch (error) {
        // This append wrote nothing, so the batch goes on without it.
        return { kind: "failed", error };
      }
    }
    const seq = Number(bumped.last_seq);
    const id = randomUUID();
    const createdAt = now();
    statements
      .get(INSERT)
      .run(id, roomId, seq, author.id, clientId, text, createdAt, viaJson(input));
    for (const userId of mentionedIds(input)) run(MENTION, roomId, seq, userId);
    run(MARK_READ, roomId, author.id, seq);
    return { kind: "stored", message: storedMessage(input, id, seq, createdAt) };
  }

  /**
   * Runs the batch in one transaction and settles every append in it. A
   * failing append is rejected and the others run again without it.
   */
  function commitBatch(batch: Pending[]) {
    let pending = batch;
    while (pending.length > 0) {
      const outcomes: Outcome[] = [];
      try {
        run("begin");
      } catch (error) {
        // The connection is closed or unusable: nobody can commit.
        return rejectAll(pending, error);
      }
      try {
        for (const request of pending) outcomes.push(applyOne(request));
      } catch (error) {
        // It may have written part of itself: undo the batch, run the others again.
        rollback();
        // biome-ignore lint/style/noNonNullAssertion: the throw came from pending[outcomes.length]
        const failed = pending[outcomes.length]!;
        failed.reject(error);
        pending = pending.filter((request) => request !== failed);
        continue;
      }
      try {
        run("commit");
      } catch (error) {
        rollback();
        return rejectAll(pending, error);
      }
      pending.forEach((request, index) => {
        // biome-ignore lint/style/noNonNullAssertion: one outcome per request once nothing threw
        const outcome = outcomes[index]!;
        if (outcome.kind === "failed") request.reject(outcome.error);
        else request.resolve(outcome);
      });
      return;
    }
  }

  function rollback() {
    // SQLite has already ended the transaction after some errors (SQLITE_FULL, a busy COMMIT).
    try {
      if (raw.isOpen && raw.isTransaction) run("rollback");
    } catch {
      // Nothing left to undo that SQLite has not undone; the next BEGIN says if the connection is gone.
    }
  }

  async function flush() {
    // The checkpointer is restarting the WAL: this batch waits (see WriteGate).
    if (gate.held) return gate.whenOpen(() => void flush());
    try {
      // Kysely's connection lock: nothing else runs on the connection meanwhile.
      await db.connection().execute(async () => {
        scheduled = false;
        const batch = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
        if (batch === queue) queue = [];
        if (queue.length > 0) schedule();
        commitBatch(batch);
      });
    } catch (error) {
      // The connection could not be had (closed): nothing in the queue can commit.
      const failed = queue;
      queue = [];
      scheduled = false;
      rejectAll(failed, error);
    }
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    // After this turn's I/O callbacks: every frame read in it joins the batch.
    setImmediate(flush);
  }

  return (input) =>
    new Promise<AppendOutcome>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      schedule();
    });
}
