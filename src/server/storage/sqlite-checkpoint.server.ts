import { Worker } from "node:worker_threads";

/**
 * The checkpointer's code, run as an eval'd worker so it needs no file of
 * its own in the server bundle. Its own connection copies the WAL into the
 * database file (PASSIVE: never waits for, nor blocks, the writer) and
 * answers how many frames the WAL holds.
 */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { DatabaseSync } = require("node:sqlite");
const db = new DatabaseSync(workerData.path);
db.exec("PRAGMA busy_timeout = 1000");
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
parentPort.on("message", () => {
  let log = 0;
  try { log = Number(checkpoint.get().log); } catch {}
  parentPort.postMessage(log);
});
`;

const defaults = {
  /** How often the worker checkpoints. */
  everyMs: 250,
  /** WAL frames (pages, 4 KiB) past which the WAL is restarted from its start (32 MiB). */
  restartFrames: 8192,
};

/** Lets the checkpointer hold back group commits for a moment (see startCheckpointer). */
export class WriteGate {
  #held = false;
  #waiting: (() => void)[] = [];
  get held(): boolean {
    return this.#held;
  }
  hold() {
    this.#held = true;
  }
  release() {
    this.#held = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resume of waiting) resume();
  }
  /** Runs `resume` once the gate is open (at once when it is). */
  whenOpen(resume: () => void) {
    if (this.#held) this.#waiting.push(resume);
    else resume();
  }
}

/**
 * Checkpoints the WAL on a worker thread. With synchronous=NORMAL a commit
 * only writes the WAL; the fsyncs (1.6 ms median, tens of ms at worst on
 * this kind of disk) happen at checkpoints, and SQLite's automatic
 * checkpoint runs them inside whichever COMMIT crosses 1000 pages, on the
 * event loop, stalling every ack behind it.
 *
 * The writer starts the WAL over only when a checkpoint has copied all of
 * it, which never happens while commits keep coming. So once the WAL is
 * long, the gate holds group commits (appends queue, the event loop runs
 * on) for one more checkpoint, which has only the last few milliseconds of
 * frames to copy; the next commit then restarts the WAL. The caller keeps a
 * far larger automatic checkpoint as a backstop should this worker die.
 */
export function startCheckpointer(
  path: string,
  gate: WriteGate,
  onError: (error: Error) => void,
  { everyMs, restartFrames } = defaults,
): () => void {
  const worker = new Worker(WORKER, { eval: true, workerData: { path } });
  let busy = false;
  const checkpoint = () => {
    busy = true;
    worker.postMessage("checkpoint");
  };
  worker.on("message", (log: number) => {
    busy = false;
    if (gate.held) gate.release();
    else if (log >= restartFrames) {
      gate.hold();
      checkpoint();
    }
  });
  worker.on("error", (error) => {
    gate.release();
    onError(error);
  });
  const timer = setInterval(() => {
    if (!busy) checkpoint();
  }, everyMs);
  // Neither keeps the process alive: the database's close stops both.
  timer.unref();
  worker.unref();
  return () => {
    clearInterval(timer);
    gate.release();
    void worker.terminate();
  };
}
