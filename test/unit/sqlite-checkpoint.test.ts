import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { startCheckpointer, WriteGate } from "../../src/server/storage/sqlite-checkpoint.server";

/** The WAL header's checkpoint sequence: SQLite bumps it each time the WAL starts over. */
const walRestarts = (path: string) => readFileSync(`${path}-wal`).readUInt32BE(12);

describe("WAL checkpoints on a worker", () => {
  it("keeps the WAL from growing: it is restarted once long, the gate held meanwhile", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "parley-ckpt-")), "x.db");
    const db = new DatabaseSync(path);
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
    // Only the worker checkpoints here.
    db.exec("PRAGMA wal_autocheckpoint = 0; create table t (v text)");
    const gate = new WriteGate();
    let held = 0;
    const hold = gate.hold.bind(gate);
    gate.hold = () => {
      held++;
      hold();
    };
    const errors: Error[] = [];
    const stop = startCheckpointer(path, gate, (error) => errors.push(error), {
      everyMs: 5,
      restartFrames: 20,
    });
    const insert = db.prepare("insert into t values (?)");
    const before = walRestarts(path);
    // Commits without a pause, so a checkpoint never catches up on its own.
    for (let i = 0; i < 20_000 && walRestarts(path) < before + 2; i++) {
      // As the appender does: no commit while the gate is held.
      await new Promise<void>((resume) => gate.whenOpen(resume));
      insert.run("x".repeat(4000));
      await new Promise((resume) => setImmediate(resume));
    }
    stop();
    expect(errors).toEqual([]);
    expect(walRestarts(path)).toBeGreaterThanOrEqual(before + 2);
    expect(held).toBeGreaterThan(0);
    expect(gate.held).toBe(false);
    db.close();
  });

  it("runs waiters at once while open and on release while held", () => {
    const gate = new WriteGate();
    const ran: string[] = [];
    gate.whenOpen(() => ran.push("open"));
    gate.hold();
    gate.whenOpen(() => ran.push("held"));
    expect(ran).toEqual(["open"]);
    gate.release();
    expect(ran).toEqual(["open", "held"]);
  });
});
