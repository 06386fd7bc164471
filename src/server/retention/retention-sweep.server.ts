import type { Kysely, Transaction } from "kysely";
import type { Effect } from "../../core/actions/shared";
import { retentionCutoff, retentionOf } from "../../core/retention";
import type { BlobStore } from "../../ports";
import type { WireMessage } from "../../protocol/frames";
import type { Logger } from "../log.server";
import { writeAudit } from "../storage/audit.server";
import { releaseFilesOf } from "../storage/file-claims.server";
import { selectMessages, toWireMessages } from "../storage/message-rows.server";
import type { Database } from "../storage/schema.server";
import { readServerRetention } from "./retention-settings.server";

/** Messages one pass deletes at most: one bounded transaction, one audit row. */
export const RETENTION_BATCH = 500;

/** Who the audit log names for the sweep: no person did it. */
export const SWEEP_ACTOR = "system:retention";

export type SweepPass = {
  /** Messages deleted, per room id. */
  perRoom: Record<string, number>;
  deleted: number;
  /** The deleted messages as the wire now shows them (deleted, new rev), per room. */
  messages: Map<string, WireMessage[]>;
  /** Blobs of the files the deleted messages had: removed after commit. */
  blobKeys: string[];
  /** Whether old messages may remain (a page or the batch ran out): the run goes on. */
  more: boolean;
};

/**
 * One pass: in one transaction, deletes up to `batch` messages older than
 * their room's limit (its own, else the server's) the way a delete does:
 * the seq stays, the text, reactions and file rows go, and each takes a
 * new room revision, so a client resuming by rev hears of it. When it
 * deleted anything it writes the "retention.sweep" audit row (counts per
 * room) in the same transaction.
 *
 * Each room is read on from its watermark (room.retention_seq, migration
 * 0027) in seq order, which is time order, up to the first message young
 * enough to keep; the watermark then moves past what was read, so no run
 * steps over rows an earlier one deleted.
 *
 * Safe beside another instance's sweep: the room's revision bump locks the
 * room row (as every message change does), and each message is deleted
 * only while it is not deleted yet, so the loser of a race skips it.
 */
export async function sweepPass(
  db: Kysely<Database>,
  options: { now: number; batch?: number },
): Promise<SweepPass> {
  const batch = options.batch ?? RETENTION_BATCH;
  const { now } = options;
  return db.transaction().execute(async (trx) => {
    const serverDays = await readServerRetention(trx);
    let rooms = trx.selectFrom("room").select(["id", "retention_days", "retention_seq"]);
    if (serverDays === null) rooms = rooms.where("retention_days", "is not", null);
    const pass: SweepPass = {
      perRoom: {},
      deleted: 0,
      messages: new Map(),
      blobKeys: [],
      more: false,
    };
    for (const room of await rooms.orderBy("id").execute()) {
      const days = retentionOf(room.retention_days, serverDays);
      if (days === null) continue;
      const budget = batch - pass.deleted;
      if (budget <= 0) {
        pass.more = true;
        break;
      }
      const read = await sweepRoom(trx, {
        roomId: room.id,
        from: Number(room.retention_seq ?? 0),
        cutoff: retentionCutoff(days, now),
        limit: budget,
        now,
        blobKeys: pass.blobKeys,
      });
      if (read.more) pass.more = true;
      if (read.deleted.length === 0) continue;
      pass.perRoom[room.id] = read.deleted.length;
      pass.deleted += read.deleted.length;
      const rows = await selectMessages(trx)
        .where("message.id", "in", read.deleted)
        .orderBy("message.seq", "asc")
        .execute();
      pass.messages.set(room.id, await toWireMessages(trx, rows));
    }
    if (pass.deleted > 0) {
      await writeAudit(
        trx,
        {
          actorId: SWEEP_ACTOR,
          action: "retention.sweep",
          details: { messages: pass.deleted, files: pass.blobKeys.length, rooms: pass.perRoom },
        },
        now,
      );
    }
    return pass;
  });
}

/**
 * One room's share of a pass: reads up to `limit` messages after the
 * watermark `from`, keeps the run of them created before `cutoff`, deletes
 * those not deleted yet, and moves the watermark to the end of the run.
 * `more` when the whole page was past the limit (there may be more).
 */
async function sweepRoom(
  trx: Transaction<Database>,
  room: {
    roomId: string;
    from: number;
    cutoff: number;
    limit: number;
    now: number;
    blobKeys: string[];
  },
): Promise<{ deleted: string[]; more: boolean }> {
  const { roomId } = room;
  const page = await trx
    .selectFrom("message")
    .select(["id", "seq", "created_at", "deleted_at"])
    .where("room_id", "=", roomId)
    .where("seq", ">", room.from)
    .orderBy("seq", "asc")
    .limit(room.limit)
    .execute();
  const young = page.findIndex((row) => Number(row.created_at) >= room.cutoff);
  const run = young < 0 ? page : page.slice(0, young);
  if (run.length === 0) return { deleted: [], more: false };
  const old = run.filter((row) => row.deleted_at === null);
  const deleted: string[] = [];
  if (old.length > 0) {
    // One revision per message, so a resume paged by rev never splits a tie.
    const bumped = await trx
      .updateTable("room")
      .set((eb) => ({ last_rev: eb("last_rev", "+", old.length) }))
      .where("id", "=", roomId)
      .returning("last_rev")
      .executeTakeFirstOrThrow();
    let rev = Number(bumped.last_rev) - old.length;
    for (const { id } of old) {
      rev += 1;
      const done = await trx
        .updateTable("message")
        .set({ text: "", deleted_at: room.now, deleted_by: null, rev })
        .where("id", "=", id)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) continue;
      await trx.deleteFrom("reaction").where("message_id", "=", id).execute();
      room.blobKeys.push(...(await releaseFilesOf(trx, id)));
      deleted.push(id);
    }
  }
  // Everything up to the run's end is deleted now (by this pass or before).
  const through = Number(run[run.length - 1]?.seq ?? room.from);
  await trx
    .updateTable("room")
    .set({ retention_seq: through })
    .where("id", "=", roomId)
    .where("retention_seq", "<", through)
    .execute();
  return { deleted, more: young < 0 && page.length === room.limit };
}

/** What a sweep run did, over all its passes. */
export type SweepRun = { deleted: number; files: number; passes: number };

/**
 * Sweeps until a pass says nothing old may remain: after each commit the
 * deletions are published (`updated` frames, as a delete's) and the files'
 * blobs deleted (a blob outliving its row is harmless; a row without its
 * blob is not, hence after commit).
 */
export async function sweepRetention(deps: {
  db: Kysely<Database>;
  blobs: BlobStore;
  log: Logger;
  publish: (effects: Effect[]) => Promise<void>;
  now?: () => number;
  batch?: number;
}): Promise<SweepRun> {
  const run: SweepRun = { deleted: 0, files: 0, passes: 0 };
  const batch = deps.batch ?? RETENTION_BATCH;
  for (;;) {
    const pass = await sweepPass(deps.db, { now: deps.now?.() ?? Date.now(), batch });
    run.passes += 1;
    run.deleted += pass.deleted;
    run.files += pass.blobKeys.length;
    if (pass.deleted > 0) await afterCommit(deps, pass);
    if (!pass.more) return run;
  }
}

async function afterCommit(
  deps: { blobs: BlobStore; log: Logger; publish: (effects: Effect[]) => Promise<void> },
  pass: SweepPass,
): Promise<void> {
  const effects: Effect[] = [...pass.messages].flatMap(([roomId, messages]) =>
    messages.map((message) => ({
      kind: "publish" as const,
      roomId,
      frame: { type: "updated" as const, message },
      exceptSelf: false,
    })),
  );
  // Live sockets hear it now; one that misses it (closed, or a failed
  // publish) catches up by rev on its next resume.
  await deps.publish(effects).catch((error: unknown) => {
    deps.log.warn("retention sweep: deletions not published", { error: String(error) });
  });
  await Promise.all(
    pass.blobKeys.map((key) =>
      deps.blobs.delete(key).catch((error: unknown) => {
        deps.log.warn("retention sweep: blob not deleted", { key, error: String(error) });
      }),
    ),
  );
}

/** Runs the sweep every `everyMs` (unref'd: it never keeps the process up); returns stop. */
export function startRetentionSweep(deps: {
  db: Kysely<Database>;
  blobs: BlobStore;
  log: Logger;
  everyMs: number;
  publish: (effects: Effect[]) => Promise<void>;
}): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepRetention(deps)
      .then((run) => {
        if (run.deleted > 0)
          deps.log.info("retention sweep", { deleted: run.deleted, files: run.files });
      })
      .catch((error: unknown) => deps.log.warn("retention sweep failed", { error: String(error) }))
      .finally(() => {
        running = false;
      });
  }, deps.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
