// The people and rooms of a Parley bench run. Sign-up is real HTTP, but it
// hashes the password with scrypt (~250 ms of server CPU each here), and
// opening a room page renders it (~11 ms), so thousands of users made that
// way would take minutes before anything is measured. The first `signUps`
// users go the real way: /api/auth/sign-up/email, then /r/<slug> for each
// of their rooms, as a browser does. The rest are seeded as rows (user,
// session, room_member) with the cookie signed as better-auth signs it,
// checked against a real sign-up's cookie so a format change fails loudly.
// From there on every connection is the real thing: cookie -> session
// lookup at the upgrade -> rooms from the database.
// Rooms other than general are inserted into the SQLite file either way:
// no HTTP API makes them (test/integration does the same).
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type Layout, RESUME_ROOM } from "./layout.ts";
import { AUTH_SECRET, newDataDir, pool, startParley } from "./parley.ts";

export type BenchUser = { cookie: string; name: string };

const COOKIE = "better-auth.session_token";
/** better-auth's signed cookie value: token "." base64(HMAC-SHA256(secret, token)), URL-encoded. */
export const signedCookie = (token: string) =>
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

/** Users from..to-1 as user, session and membership rows (no password: they never sign in). */
function seedUsers(dataDir: string, from: number, to: number, roomsOf: (i: number) => string[]) {
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
  const member = db.prepare(
    "INSERT INTO room_member (room_id, user_id, joined_at) SELECT id, ?, ? FROM room WHERE slug = ?",
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
      for (const slug of roomsOf(i)) member.run(id, Date.now(), slug);
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

/**
 * Makes a data folder with the layout's users and rooms, then stops the
 * server: every scenario starts a fresh process on this folder.
 */
export async function prepareParley(layout: Layout, signUps: number, log: (line: string) => void) {
  const dataDir = newDataDir();
  const server = await startParley(dataDir);
  const base = `http://127.0.0.1:${server.port}`;
  try {
    createRooms(dataDir, [
      ...Array.from({ length: layout.groups }, (_, g) => `g-${g}`),
      ...Array.from({ length: layout.solo }, (_, i) => `p-${i}`),
      RESUME_ROOM,
    ]);
    const started = Date.now();
    const real = Math.min(signUps, layout.users);
    const users = await pool(real, 2, (i) => signUp(base, i));
    const joins = users.flatMap((user, i) => layout.roomsOf(i).map((slug) => ({ user, slug })));
    await pool(joins.length, 2, (i) =>
      joinRoom(base, joins[i]?.user as BenchUser, joins[i]?.slug ?? ""),
    );
    log(`${real} real sign-ups and ${joins.length} room pages in ${Date.now() - started} ms`);
    users.push(...seedUsers(dataDir, real, layout.users, layout.roomsOf));
    log(`${layout.users - real} users seeded`);
    return { dataDir, users };
  } finally {
    await server.stop();
  }
}

/**
 * Writes `count` messages by a member of `slug` straight into SQLite, rows
 * of the shape the message store writes (the FTS index follows by trigger),
 * and moves the room's seq on. Sending them through the server would take
 * longer than every other Parley scenario together on 2 cores.
 */
export function seedMessages(
  dataDir: string,
  slug: string,
  count: number,
  text: (i: number) => string,
) {
  const db = openDb(dataDir);
  try {
    const room = db.prepare("SELECT id, last_seq FROM room WHERE slug = ?").get(slug);
    const member = db
      .prepare("SELECT user_id FROM room_member WHERE room_id = ? LIMIT 1")
      .get(room?.id ?? "");
    if (!room || !member) throw new Error(`room ${slug} has no members to write as`);
    const roomId = String(room.id);
    const author = String(member.user_id);
    const insert = db.prepare(
      "INSERT INTO message (id, room_id, seq, author_id, client_id, text, created_at, edited_at, deleted_at, rev) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0)",
    );
    const first = Number(room.last_seq) + 1;
    db.exec("BEGIN");
    for (let i = 0; i < count; i++) {
      insert.run(randomUUID(), roomId, first + i, author, `seed-${i}`, text(i), Date.now());
    }
    db.prepare("UPDATE room SET last_seq = ? WHERE id = ?").run(first + count - 1, roomId);
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}
