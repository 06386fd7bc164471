import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { WireMessage } from "../../src/protocol/frames";
import { connect, type Frame, getPage, signUp, type TestSocket } from "./clients";
import { baseServerEnv, freePort, type RunningServer, startServer } from "./server";

/**
 * vitest exports NODE_ENV=test and TEST=true, and startServer passes its own
 * environment on; better-auth then runs in test mode (no origin check). This
 * clears both so the server behaves as `npm run serve` runs it.
 */
export const SERVE_ENV = { NODE_ENV: "", TEST: "" } as const;

/** startServer with the environment of a plain `npm run serve` (see SERVE_ENV). */
export function startServeLike(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  return startServer({ ...options, env: { ...SERVE_ENV, ...options.env } });
}

/** Opens the server's SQLite file beside the running server (WAL allows it). */
export function openDb(dataDir: string): DatabaseSync {
  const db = new DatabaseSync(join(dataDir, "parley.db"));
  db.exec("PRAGMA busy_timeout = 5000");
  return db;
}

/** Test setup: inserts a room row straight into the database (there is no HTTP API for it). */
export function createRoom(dataDir: string, slug = `room-${randomUUID().slice(0, 8)}`) {
  const db = openDb(dataDir);
  try {
    const id = randomUUID();
    db.prepare(
      "INSERT INTO room (id, slug, name, created_by, created_at, last_seq) VALUES (?, ?, ?, NULL, ?, 0)",
    ).run(id, slug, slug, Date.now());
    return { id, slug };
  } finally {
    db.close();
  }
}

/**
 * Test setup: a private room whose only members are `userIds`, inserted
 * straight into the server's SQLite file (as createRoom does).
 */
export function privateRoom(dataDir: string, userIds: string[]): { id: string; slug: string } {
  const id = randomUUID();
  const slug = `private-${id.slice(0, 8)}`;
  const db = openDb(dataDir);
  try {
    db.prepare(
      "INSERT INTO room (id, slug, name, kind, created_at) VALUES (?, ?, ?, 'private', ?)",
    ).run(id, slug, slug, Date.now());
    const member = db.prepare(
      "INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)",
    );
    for (const userId of userIds) member.run(id, userId, Date.now());
  } finally {
    db.close();
  }
  return { id, slug };
}

/**
 * Test setup: `count` users as rows only (no sessions: they never connect),
 * each a member of the room, in one transaction. `person` names the i-th
 * (its handle must be unique; the email is made from it).
 */
export function seedMembers(
  dataDir: string,
  roomId: string,
  count: number,
  person: (i: number, id: string) => { name: string; handle: string },
): void {
  const db = openDb(dataDir);
  const now = new Date().toISOString();
  try {
    const user = db.prepare(
      'INSERT INTO "user" (id, name, email, emailVerified, image, createdAt, updatedAt, handle) VALUES (?, ?, ?, 0, NULL, ?, ?, ?)',
    );
    const member = db.prepare(
      "INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)",
    );
    db.exec("BEGIN");
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const { name, handle } = person(i, id);
      user.run(id, name, `${handle}@example.test`, now, now, handle);
      member.run(roomId, id, Date.now());
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

export type StoredMessage = { id: string; seq: number; text: string; author_id: string };

/** Every stored message of a room, ascending by seq. */
export function storedMessages(dataDir: string, roomId: string): StoredMessage[] {
  const db = openDb(dataDir);
  try {
    return db
      .prepare("SELECT id, seq, text, author_id FROM message WHERE room_id = ? ORDER BY seq ASC")
      .all(roomId)
      .map((row) => ({
        id: String(row.id),
        seq: Number(row.seq),
        text: String(row.text),
        author_id: String(row.author_id),
      }));
  } finally {
    db.close();
  }
}

/** The id of the room with this slug in the socket's `ready` frame. */
export function roomIdFromReady(socket: TestSocket, slug: string): string {
  const ready = socket.frames.find((f) => f.type === "ready");
  const rooms = (ready?.rooms ?? []) as { id: string; slug: string }[];
  const room = rooms.find((r) => r.slug === slug);
  if (!room) throw new Error(`room ${slug} not in ready: ${JSON.stringify(ready)}`);
  return room.id;
}

export type Member = {
  cookie: string;
  name: string;
  email: string;
  userId: string;
  socket: TestSocket;
};

/** Signs up a user, opens each room page (joining them), connects and waits for ready. */
export async function joinAs(
  baseUrl: string,
  slugs: string[] = ["general"],
  name?: string,
): Promise<Member> {
  const user = await signUp(baseUrl, name ? { name } : {});
  for (const slug of slugs) {
    const page = await getPage(baseUrl, `/r/${slug}`, user.cookie);
    if (page.status !== 200) throw new Error(`GET /r/${slug} answered ${page.status}`);
  }
  const socket = await connect(baseUrl, user.cookie);
  return { ...user, userId: userIdOf(socket), socket };
}

export type { WireMessage };

/** Sends a message frame and resolves with its ack (rejects on an error frame for it). */
export async function sendAndAck(
  socket: TestSocket,
  roomId: string,
  text: string,
  clientId: string = randomUUID(),
): Promise<WireMessage> {
  const start = socket.frames.length;
  socket.send({ type: "send", roomId, clientId, text });
  // Only frames after this send: a repeated clientId has older acks in the list.
  const frame = await socket.next(
    (f) =>
      (f.type === "ack" || f.type === "error") &&
      f.clientId === clientId &&
      socket.frames.indexOf(f) >= start,
  );
  if (frame.type !== "ack") throw new Error(`send refused: ${JSON.stringify(frame)}`);
  return frame.message as WireMessage;
}

/** Frames of the socket that match, in arrival order. */
export function framesWhere(socket: TestSocket, match: (f: Frame) => boolean): Frame[] {
  return socket.frames.filter(match);
}

/** Waits `ms` so that a frame that should not come has had time to arrive. */
export function settle(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the next error frame received after `start` frames. */
export function nextError(socket: TestSocket, start: number): Promise<Frame> {
  return socket.next((f) => f.type === "error" && socket.frames.indexOf(f) >= start);
}

/** Closes every socket and waits until each has closed. */
export async function closeAll(sockets: TestSocket[]): Promise<void> {
  for (const socket of sockets) socket.close();
  await Promise.all(sockets.map((s) => s.closed));
}

/**
 * Starts the built server with `env` expecting it to fail: resolves with its
 * exit code, output and how long it took, or `code: null` if it still runs
 * after `timeoutMs` or once its output matches `runningWhen` (the process is
 * then killed).
 */
export async function runExpectingExit(
  env: Record<string, string>,
  options: { timeoutMs?: number; runningWhen?: RegExp } = {},
): Promise<{ code: number | null; output: string; ms: number }> {
  const { timeoutMs = 10_000, runningWhen } = options;
  const dataDir = mkdtempSync(join(tmpdir(), "parley-config-"));
  const port = await freePort();
  const started = Date.now();
  const proc = spawn(process.execPath, [".output/server/index.mjs"], {
    env: {
      ...process.env,
      ...baseServerEnv(port, dataDir),
      ...SERVE_ENV,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout.on("data", (chunk) => {
    output += chunk;
  });
  proc.stderr.on("data", (chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => {
    const stillRunning = () => {
      clearTimeout(timer);
      proc.removeAllListeners("exit");
      proc.kill("SIGKILL");
      resolve({ code: null, output, ms: Date.now() - started });
    };
    const timer = setTimeout(stillRunning, timeoutMs);
    if (runningWhen) {
      const check = () => {
        if (runningWhen.test(output)) stillRunning();
      };
      proc.stdout.on("data", check);
      proc.stderr.on("data", check);
    }
    proc.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : null), output, ms: Date.now() - started });
    });
  });
}

/** POSTs JSON to better-auth's HTTP API with the app's own Origin. */
export async function authPost(baseUrl: string, path: string, body: object) {
  const response = await fetch(`${baseUrl}/api/auth${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: { code?: string; message?: string } & Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON; keep the empty object
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Resolves once the socket has received at least `count` frames that match. */
export async function waitForCount(
  socket: TestSocket,
  match: (f: Frame) => boolean,
  count: number,
  timeoutMs = 5_000,
): Promise<Frame[]> {
  // TestSocket.next re-checks on every frame; the predicate ignores which one.
  await socket.next(() => socket.frames.filter(match).length >= count, timeoutMs);
  return socket.frames.filter(match);
}

/** The user id announced in the socket's `ready` frame. */
export function userIdOf(socket: TestSocket): string {
  const ready = socket.frames.find((f) => f.type === "ready");
  const id = (ready?.user as { id?: string } | undefined)?.id;
  if (!id) throw new Error(`no ready frame with a user: ${JSON.stringify(ready)}`);
  return id;
}
