// The people and rooms of a Parley bench run. Sign-up is real HTTP, but it
// hashes the password with scrypt (~250 ms of server CPU each here), so a
// thousand sign-ups alone would take minutes. The first `signUps` users go
// through /api/auth/sign-up/email; the rest are seeded as user + session
// rows, their cookie signed as better-auth signs it (checked against a real
// sign-up's cookie, so a format change fails loudly). From there on every
// connection is the real thing: cookie -> session lookup at the upgrade.
// Rooms other than general are inserted into the SQLite file (no HTTP API
// makes them), and users join a room by opening /r/<slug>, as a browser does.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { AUTH_SECRET, newDataDir, pool, startParley } from "./parley.ts";

export type BenchUser = { cookie: string; name: string };

const COOKIE = "better-auth.session_token";
/** better-auth's signed cookie value: token "." base64(HMAC-SHA256(secret, token)), URL-encoded. */
const signedCookie = (token: string) =>
  `${COOKIE}=${encodeURIComponent(`${token}.${createHmac("sha256", AUTH_SECRET).update(token).digest("base64")}`)}`;

async function signUp(base: string, index: number): Promise<BenchUser> {
  const name = `bench${index}`;
  const response = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({
      name,
      email: `${name}@example.test`,
      password: "correct horse battery",
    }),
  });
  if (!response.ok)
    throw new Error(`sign-up ${index}: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c?.startsWith(`${COOKIE}=`));
  if (!cookie) throw new Error(`sign-up ${index} returned no session cookie`);
  const token = decodeURIComponent(cookie.slice(COOKIE.length + 1)).split(".")[0] ?? "";
  if (signedCookie(token) !== cookie) {
    throw new Error("better-auth's cookie format changed: the bench cannot seed sessions");
  }
  return { cookie, name };
}

const openDb = (dataDir: string) => {
  const db = new DatabaseSync(join(dataDir, "parley.db"));
  db.exec("PRAGMA busy_timeout = 5000");
  return db;
};

/** Users from..to-1 as user + session rows (no password: they never sign in). */
function seedUsers(dataDir: string, from: number, to: number): BenchUser[] {
  const db = openDb(dataDir);
  const token = () => randomBytes(24).toString("base64url").slice(0, 32);
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const user = db.prepare(
    'INSERT INTO "user" (id, name, email, emailVerified, image, createdAt, updatedAt) VALUES (?, ?, ?, 0, NULL, ?, ?)',
  );
  const session = db.prepare(
    "INSERT INTO \"session\" (id, expiresAt, token, createdAt, updatedAt, ipAddress, userAgent, userId) VALUES (?, ?, ?, ?, ?, '', 'bench', ?)",
  );
  const users: BenchUser[] = [];
  try {
    db.exec("BEGIN");
    for (let i = from; i < to; i++) {
      const id = token();
      const name = `bench${i}`;
      const secret = token();
      user.run(id, name, `${name}@example.test`, now, now);
      session.run(token(), expires, secret, now, now, id);
      users.push({ cookie: signedCookie(secret), name });
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
  return users;
}

/** Inserts public rooms straight into the database (the server finds them by slug). */
function createRooms(dataDir: string, slugs: string[]) {
  const db = openDb(dataDir);
  try {
    const insert = db.prepare(
      "INSERT INTO room (id, slug, name, created_by, created_at, last_seq) VALUES (?, ?, ?, NULL, ?, 0)",
    );
    db.exec("BEGIN");
    for (const slug of slugs) insert.run(randomUUID(), slug, slug, Date.now());
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

/** Opens /r/<slug> as the user, which joins them to that public room. */
async function joinRoom(base: string, user: BenchUser, slug: string) {
  const response = await fetch(`${base}/r/${slug}`, { headers: { cookie: user.cookie } });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`GET /r/${slug}: ${response.status}`);
}

export type ParleyPlan = {
  users: number;
  /** This many go through the real sign-up; the rest are seeded. */
  signUps: number;
  /** Users 0..general-1 join "general" (the fan-out room). */
  general: number;
  /** Users 0..grouped-1 join room g-<i / roomSize> (the many-rooms scenario). */
  grouped: number;
  roomSize: number;
  /** Users 0..solo-1 each get a room p-<i> of their own (persistence). */
  solo: number;
};

/** Users 0 and 1 share the room used by the resume scenario. */
export const RESUME_ROOM = "resume";

/**
 * Makes a data folder with the plan's users and rooms, then stops the
 * server: every scenario starts a fresh process on this folder.
 */
export async function prepareParley(plan: ParleyPlan, log: (line: string) => void) {
  const dataDir = newDataDir();
  const server = await startParley(dataDir);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    let started = Date.now();
    const real = Math.min(plan.signUps, plan.users);
    const users = await pool(real, 2, (i) => signUp(base, i));
    log(`${real} real sign-ups in ${Date.now() - started} ms`);
    users.push(...seedUsers(dataDir, real, plan.users));
    const groups = Math.ceil(plan.grouped / plan.roomSize);
    createRooms(dataDir, [
      ...Array.from({ length: groups }, (_, g) => `g-${g}`),
      ...Array.from({ length: plan.solo }, (_, i) => `p-${i}`),
      RESUME_ROOM,
    ]);
    const joins: [BenchUser, string][] = [];
    users.forEach((user, i) => {
      if (i < plan.general) joins.push([user, "general"]);
      if (i < plan.grouped) joins.push([user, `g-${Math.floor(i / plan.roomSize)}`]);
      if (i < plan.solo) joins.push([user, `p-${i}`]);
      if (i < 2) joins.push([user, RESUME_ROOM]);
    });
    started = Date.now();
    await pool(joins.length, 4, (i) => joinRoom(base, ...(joins[i] as [BenchUser, string])));
    log(`${joins.length} room pages opened in ${Date.now() - started} ms`);
    return { dataDir, users };
  } finally {
    await server.stop();
  }
}
