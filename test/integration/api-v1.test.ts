import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, newToken } from "../../src/server/auth/api-token.server";
import { connect, signUp, type TestSocket } from "../helpers/clients";
import { createRoom, openDb, privateRoom } from "../helpers/integration-extra";
import { openApiChecker } from "../helpers/openapi-check";
import { type RunningServer, startServer } from "../helpers/server";

let server: RunningServer;
let check: ReturnType<typeof openApiChecker>;

type Person = { id: string; cookie: string; token: string };

/** Stores a token for a user straight in the server's database (part B builds the UI for it). */
function tokenFor(
  userId: string,
  scopes = "read,write",
  extra: { expiresAt?: number; revokedAt?: number } = {},
): string {
  const made = newToken();
  const db = openDb(server.dataDir);
  try {
    db.prepare(
      "INSERT INTO api_token (id, user_id, name, token_hash, scopes, created_at, expires_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
    ).run(
      made.id,
      userId,
      "test",
      hashToken(made.token),
      scopes,
      Date.now(),
      extra.expiresAt ?? null,
      extra.revokedAt ?? null,
    );
  } finally {
    db.close();
  }
  return made.token;
}

async function person(): Promise<Person> {
  const { cookie, email } = await signUp(server.url);
  const db = openDb(server.dataDir);
  const row = db.prepare("SELECT id FROM user WHERE email = ?").get(email) as { id: string };
  db.close();
  return { id: row.id, cookie, token: tokenFor(row.id) };
}

/** Calls the API and checks the answer against the served document. */
async function api(
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked against the document, then read freely
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const status = response.status;
  const responseHeaders = response.headers;
  return { status, headers: responseHeaders, body: await check(response, method) };
}

let alice: Person;
let bob: Person;
let room: { id: string; slug: string };

beforeAll(async () => {
  server = await startServer();
  const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
  check = openApiChecker(doc);
  alice = await person();
  bob = await person();
  room = createRoom(server.dataDir);
  const db = openDb(server.dataDir);
  db.prepare("INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)").run(
    room.id,
    alice.id,
    Date.now(),
  );
  db.close();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document with every path", async () => {
    const { validate } = await import("@readme/openapi-parser");
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    const result = await validate(structuredClone(doc));
    expect(result.valid, JSON.stringify(result)).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/v1/rooms",
        "/api/v1/rooms/{room}",
        "/api/v1/rooms/{room}/join",
        "/api/v1/rooms/{room}/leave",
        "/api/v1/rooms/{room}/members",
        "/api/v1/rooms/{room}/messages",
        "/api/v1/rooms/{room}/messages/{id}",
        "/api/v1/rooms/{room}/messages/{id}/reactions/{emoji}",
        "/api/v1/search",
        "/api/v1/users",
        "/api/v1/users/me",
        "/api/v1/users/{id}",
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearer.scheme).toBe("bearer");
  });
});

describe("auth", () => {
  it("refuses a missing, bad, revoked or expired token with 401 and a challenge", async () => {
    const revoked = tokenFor(alice.id, "read", { revokedAt: Date.now() });
    const expired = tokenFor(alice.id, "read", { expiresAt: Date.now() - 1000 });
    for (const token of [
      undefined,
      "nonsense",
      `pat_${"x".repeat(12)}_${"y".repeat(43)}`,
      revoked,
      expired,
    ]) {
      const answer = await api(token, "GET", "/rooms");
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(answer.headers.get("content-type")).toBe("application/problem+json");
      expect(answer.body.code).toBe("unauthorized");
    }
  });

  it("refuses a deactivated user's token", async () => {
    const carol = await person();
    const db = openDb(server.dataDir);
    db.prepare("UPDATE user SET deactivated_at = ? WHERE id = ?").run(Date.now(), carol.id);
    db.close();
    expect((await api(carol.token, "GET", "/users/me")).status).toBe(401);
  });

  it("refuses a write with a read-only token as insufficient_scope", async () => {
    const readOnly = tokenFor(alice.id, "read");
    const answer = await api(readOnly, "POST", `/rooms/${room.slug}/messages`, { text: "hi" });
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe("insufficient_scope");
    expect((await api(readOnly, "GET", `/rooms/${room.slug}/messages`)).status).toBe(200);
  });
});

describe("routing and bodies", () => {
  it("answers unknown paths 404, wrong methods 405, bad JSON and bad bodies 400, big bodies 413", async () => {
    // No operation documents these two: their problem body is checked by hand.
    const auth = { authorization: `Bearer ${alice.token}` };
    const nowhere = await fetch(`${server.url}/api/v1/nowhere`, { headers: auth });
    expect(nowhere.status).toBe(404);
    expect((await nowhere.json()).code).toBe("not_found");
    const wrong = await fetch(`${server.url}/api/v1/rooms`, { method: "PUT", headers: auth });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
    expect(wrong.headers.get("content-type")).toBe("application/problem+json");
    expect((await wrong.json()).code).toBe("method_not_allowed");
    const badJson = await api(alice.token, "POST", `/rooms/${room.id}/messages`, "{nope");
    expect(badJson.status).toBe(400);
    expect(badJson.body.detail).toMatch(/JSON/);
    const empty = await api(alice.token, "POST", `/rooms/${room.id}/messages`, { text: "" });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe("bad_frame");
    const extra = await api(alice.token, "POST", `/rooms/${room.id}/messages`, { text: "a", x: 1 });
    expect(extra.status).toBe(400);
    const big = await api(alice.token, "POST", `/rooms/${room.id}/messages`, {
      text: "a".repeat(70_000),
    });
    expect(big.status).toBe(413);
    const badCursor = await api(alice.token, "GET", `/rooms/${room.id}/messages?after=x`);
    expect(badCursor.status).toBe(400);
    const both = await api(alice.token, "GET", `/rooms/${room.id}/messages?after=1&before=3`);
    expect(both.status).toBe(400);
    const tooMany = await api(alice.token, "GET", `/rooms/${room.id}/messages?limit=500`);
    expect(tooMany.status).toBe(400);
  });
});

describe("messages", () => {
  it("posts, lists by cursor both ways, gets, edits, reacts and deletes", async () => {
    const posted: { id: string; seq: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await api(alice.token, "POST", `/rooms/${room.slug}/messages`, {
        text: `m${i}`,
      });
      expect(answer.status).toBe(201);
      expect(answer.body.text).toBe(`m${i}`);
      expect(answer.body.author.id).toBe(alice.id);
      posted.push(answer.body);
    }
    const first = posted[0] as { seq: number };
    const after = await api(
      alice.token,
      "GET",
      `/rooms/${room.id}/messages?after=${first.seq}&limit=2`,
    );
    expect(after.body.messages.map((m: { text: string }) => m.text)).toEqual(["m1", "m2"]);
    expect(after.body.next).toBe(first.seq + 2);
    const before = await api(
      alice.token,
      "GET",
      `/rooms/${room.id}/messages?before=${first.seq + 4}&limit=2`,
    );
    expect(before.body.messages.map((m: { text: string }) => m.text)).toEqual(["m2", "m3"]);
    const latest = await api(alice.token, "GET", `/rooms/${room.id}/messages`);
    expect(latest.body.messages.at(-1).text).toBe("m4");
    expect(latest.body.next).toBeUndefined();

    const id = (posted[1] as { id: string }).id;
    const one = await api(alice.token, "GET", `/rooms/${room.id}/messages/${id}`);
    expect(one.body.text).toBe("m1");
    const edited = await api(alice.token, "PATCH", `/rooms/${room.id}/messages/${id}`, {
      text: "m1 edited",
    });
    expect(edited.status).toBe(200);
    expect(edited.body.text).toBe("m1 edited");
    expect(edited.body.editedAt).not.toBeNull();

    const emoji = encodeURIComponent("👍");
    for (let i = 0; i < 2; i++) {
      const on = await api(
        alice.token,
        "PUT",
        `/rooms/${room.id}/messages/${id}/reactions/${emoji}`,
      );
      expect(on.status).toBe(200);
      expect(on.body.reactions).toEqual([{ emoji: "👍", userIds: [alice.id] }]);
    }
    for (let i = 0; i < 2; i++) {
      const off = await api(
        alice.token,
        "DELETE",
        `/rooms/${room.id}/messages/${id}/reactions/${emoji}`,
      );
      expect(off.status).toBe(200);
      expect(off.body.reactions).toEqual([]);
    }
    const gone = await api(alice.token, "DELETE", `/rooms/${room.id}/messages/${id}`);
    expect(gone.status).toBe(200);
    expect(gone.body.deleted).toBe(true);
    expect(gone.body.text).toBe("");
    expect((await api(alice.token, "GET", `/rooms/${room.id}/messages/nope`)).status).toBe(404);
  });

  it("returns the stored message for a retried Idempotency-Key, and refuses a bad key", async () => {
    const key = `retry-${randomUUID()}`;
    const a = await api(
      alice.token,
      "POST",
      `/rooms/${room.id}/messages`,
      { text: "once" },
      {
        "idempotency-key": key,
      },
    );
    const b = await api(
      alice.token,
      "POST",
      `/rooms/${room.id}/messages`,
      { text: "once" },
      {
        "idempotency-key": key,
      },
    );
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.seq).toBe(a.body.seq);
    const db = openDb(server.dataDir);
    const count = db.prepare("SELECT count(*) AS n FROM message WHERE text = 'once'").get() as {
      n: number;
    };
    db.close();
    expect(count.n).toBe(1);
    const bad = await api(
      alice.token,
      "POST",
      `/rooms/${room.id}/messages`,
      { text: "x" },
      {
        "idempotency-key": "spaces are bad",
      },
    );
    expect(bad.status).toBe(400);
  });

  it("refuses non-members, private rooms and other people's messages", async () => {
    const list = await api(bob.token, "GET", `/rooms/${room.id}/messages`);
    expect(list.status).toBe(403);
    expect(list.body.code).toBe("forbidden");
    const post = await api(bob.token, "POST", `/rooms/${room.id}/messages`, { text: "hi" });
    expect(post.status).toBe(403);
    const hidden = privateRoom(server.dataDir, [alice.id]);
    expect((await api(bob.token, "GET", `/rooms/${hidden.id}`)).status).toBe(404);
    expect((await api(bob.token, "GET", `/rooms/${hidden.id}/messages`)).status).toBe(404);
    expect((await api(alice.token, "GET", `/rooms/${hidden.id}`)).status).toBe(200);
    expect((await api(bob.token, "GET", "/rooms/no-such-room/messages")).status).toBe(404);

    const joined = await api(bob.token, "POST", `/rooms/${room.slug}/join`);
    expect(joined.status).toBe(200);
    const mine = await api(alice.token, "POST", `/rooms/${room.id}/messages`, { text: "alice's" });
    const edit = await api(bob.token, "PATCH", `/rooms/${room.id}/messages/${mine.body.id}`, {
      text: "bob was here",
    });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe("forbidden");
    const del = await api(bob.token, "DELETE", `/rooms/${room.id}/messages/${mine.body.id}`);
    expect(del.status).toBe(403);
    expect((await api(bob.token, "POST", `/rooms/${hidden.id}/join`)).status).toBe(404);
  });

  it("reaches another member's open socket live", async () => {
    const socket: TestSocket = await connect(server.url, bob.cookie);
    try {
      socket.send({ type: "subscribe", roomId: room.id });
      await socket.next(
        (f: { type: string; [k: string]: unknown }) =>
          f.type === "subscribed" && f.roomId === room.id,
      );
      const posted = await api(alice.token, "POST", `/rooms/${room.id}/messages`, { text: "live" });
      const frame = await socket.next(
        (f: { type: string; [k: string]: unknown }) =>
          f.type === "message" && (f.message as { id: string }).id === posted.body.id,
      );
      expect((frame.message as { text: string }).text).toBe("live");
    } finally {
      socket.close();
    }
  });
});

describe("rooms, users and search", () => {
  it("creates, lists, gets, lists members, leaves", async () => {
    const name = `api ${randomUUID().slice(0, 6)}`;
    const made = await api(alice.token, "POST", "/rooms", { name });
    expect(made.status).toBe(201);
    expect(made.body.room.name).toBe(name);
    const taken = await api(alice.token, "POST", "/rooms", { name });
    expect(taken.status).toBe(409);
    const badName = await api(alice.token, "POST", "/rooms", { name: "   " });
    expect(badName.status).toBe(400);
    const listed = await api(alice.token, "GET", "/rooms");
    expect(listed.body.rooms.map((r: { id: string }) => r.id)).toContain(made.body.room.id);
    const got = await api(alice.token, "GET", `/rooms/${made.body.room.slug}`);
    expect(got.body.room.id).toBe(made.body.room.id);
    const members = await api(alice.token, "GET", `/rooms/${made.body.room.id}/members`);
    expect(members.body.members.map((m: { id: string }) => m.id)).toEqual([alice.id]);
    const left = await api(alice.token, "POST", `/rooms/${made.body.room.id}/leave`);
    expect(left.status).toBe(200);
    expect((await api(alice.token, "GET", `/rooms/${made.body.room.id}/members`)).status).toBe(403);
  });

  it("answers me, one user, a users query and a search with operators", async () => {
    const me = await api(alice.token, "GET", "/users/me");
    expect(me.body.user.id).toBe(alice.id);
    const other = await api(alice.token, "GET", `/users/${bob.id}`);
    expect(other.body.user.id).toBe(bob.id);
    expect((await api(alice.token, "GET", "/users/nobody")).status).toBe(404);
    const found = await api(
      alice.token,
      "GET",
      `/users?q=${encodeURIComponent(me.body.user.name)}`,
    );
    expect(found.body.users.map((u: { id: string }) => u.id)).toContain(alice.id);
    expect((await api(alice.token, "GET", "/users")).status).toBe(400);
    const word = `needle${randomUUID().slice(0, 6)}`;
    await api(alice.token, "POST", `/rooms/${room.id}/messages`, { text: `find ${word}` });
    const hits = await api(alice.token, "GET", `/search?q=${word}%20in:${room.slug}`);
    expect(hits.status).toBe(200);
    expect(hits.body.hits.map((h: { message: { text: string } }) => h.message.text)).toEqual([
      `find ${word}`,
    ]);
    const bad = await api(alice.token, "GET", "/search?q=before:notadate");
    expect(bad.status).toBe(400);
  });
});

describe("rate limits", () => {
  let limited: RunningServer;
  afterAll(async () => {
    await limited?.stop();
  });

  it("answers 429 with Retry-After once a token's bucket is empty", async () => {
    limited = await startServer({ env: { PARLEY_RATE_PER_SECOND: "1", PARLEY_RATE_BURST: "3" } });
    const saved = server;
    server = limited;
    try {
      const p = await person();
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const answer = await api(p.token, "GET", "/users/me");
        statuses.push(answer.status);
        if (answer.status === 429) {
          retryAfter = answer.headers.get("retry-after");
          expect(answer.body.code).toBe("rate_limited");
        }
      }
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Writes spend from the same bucket, inside act().
      const write = await api(p.token, "POST", "/rooms/general/messages", { text: "x" });
      expect(write.status).toBe(429);
    } finally {
      server = saved;
    }
  }, 60_000);
});
