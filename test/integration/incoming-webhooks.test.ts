import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../../src/protocol/frames";
import { type Frame, signUp, type TestSocket } from "../helpers/clients";
import { closeAll, createRoom, joinAs, openDb, sendAndAck } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Incoming webhooks (issue 15, part C) on the built server: made and
// revoked through their server functions, posting over real HTTP, heard
// live on real sockets.
type Made = { ok: true; webhook: { id: string; name: string }; url: string };
type Refused = { ok: false; error: string };

let server: RunningServer;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  server = await startServer();
  // The first sign-up owns the server: take it, so the people below are plain members.
  await signUp(server.url);
});
afterAll(async () => {
  await closeAll(sockets);
  await server?.stop();
});

function sql(statement: string, ...params: string[]) {
  const db = openDb(server.dataDir);
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}
function rows<T>(statement: string, ...params: string[]): T[] {
  const db = openDb(server.dataDir);
  try {
    return db.prepare(statement).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** A public room with a moderator (Mo) and a member (Mia), both connected. */
async function moderatedRoom() {
  const room = createRoom(server.dataDir);
  const mo = await joinAs(server.url, [room.slug]);
  const mia = await joinAs(server.url, [room.slug]);
  sockets.push(mo.socket, mia.socket);
  sql(
    "update room_member set role = 'moderator' where room_id = ? and user_id = ?",
    room.id,
    mo.userId,
  );
  return { room, mo, mia };
}

async function makeHook(roomId: string, cookie: string, name = "CI") {
  const answer = await callServerFn<Made | Refused>(
    server.url,
    "createIncomingWebhookFn",
    { roomId, name },
    { cookie },
  );
  if (!answer.ok || !answer.result.ok) throw new Error(`no webhook: ${JSON.stringify(answer)}`);
  return answer.result;
}

const postJson = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const liveMessage = (socket: TestSocket, text: string) =>
  socket.next(
    (f: Frame) => f.type === "message" && (f.message as WireMessage | undefined)?.text === text,
  ) as Promise<Frame & { message: WireMessage }>;

async function historyOf(socket: TestSocket, roomId: string): Promise<WireMessage[]> {
  const start = socket.frames.length;
  socket.send({ type: "fetch", roomId, afterSeq: 0 });
  await socket.next(
    (f) =>
      socket.frames.indexOf(f) >= start &&
      f.type === "history" &&
      f.roomId === roomId &&
      f.done === true,
  );
  return socket.frames
    .slice(start)
    .filter((f) => f.type === "history" && f.roomId === roomId)
    .flatMap((f) => f.messages as WireMessage[]);
}

describe("incoming webhooks", () => {
  it("a moderator makes one; a JSON post appears live, markdown kept, as the webhook's bot", async () => {
    const { room, mo, mia } = await moderatedRoom();
    const made = await makeHook(room.id, mo.cookie, "Deploys");
    expect(made.url).toMatch(new RegExp(`^${server.url}/api/hooks/wh_[\\w-]+/[\\w-]{43}$`));
    const text = `**Build ${randomUUID().slice(0, 6)}** passed: \`main\` ✅`;
    const heard = liveMessage(mia.socket, text);
    const response = await postJson(made.url, { text });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    const { message } = await heard;
    expect(message).toMatchObject({
      text,
      author: { name: "Deploys", bot: true },
      via: { webhook: "Deploys" },
    });
    // Only the secret's SHA-256 is stored; the bot is a member with no way to sign in.
    const [hook] = rows<{ secret_hash: string; bot_user_id: string }>(
      "select secret_hash, bot_user_id from incoming_webhook where id = ?",
      made.webhook.id,
    );
    const secret = made.url.split("/").at(-1) ?? "";
    expect(hook?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(hook)).not.toContain(secret);
    expect(rows("select 1 from account where userId = ?", hook?.bot_user_id ?? "")).toEqual([]);
    expect(
      rows<{ bot: number }>('select bot from "user" where id = ?', hook?.bot_user_id ?? ""),
    ).toEqual([{ bot: 1 }]);
  });

  it("a form post with payload=, and the username and icon_url overrides stored in history", async () => {
    const { room, mo, mia } = await moderatedRoom();
    const made = await makeHook(room.id, mo.cookie, "Alerts");
    const text = `disk full on db-${randomUUID().slice(0, 4)}`;
    const heard = liveMessage(mia.socket, text);
    const response = await fetch(made.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        payload: JSON.stringify({
          text,
          username: "pager",
          icon_url: "https://alerts.example.test/pager.png",
        }),
      }).toString(),
    });
    expect([response.status, await response.text()]).toEqual([200, "ok"]);
    const via = {
      webhook: "Alerts",
      username: "pager",
      iconUrl: "https://alerts.example.test/pager.png",
    };
    expect((await heard).message.via).toEqual(via);
    const history = await historyOf(mo.socket, room.id);
    expect(history.find((m) => m.text === text)?.via).toEqual(via);
  });

  it("refuses every bad request with a clear text body, posting nothing", async () => {
    const { room, mo } = await moderatedRoom();
    const made = await makeHook(room.id, mo.cookie);
    const [, id, secret] = made.url.match(/\/api\/hooks\/([^/]+)\/([^/]+)$/) ?? [];
    const answers = async (response: Promise<Response>) => {
      const r = await response;
      return [r.status, await r.text()];
    };
    expect(
      await answers(postJson(`${server.url}/api/hooks/${id}/${secret}x`, { text: "a" })),
    ).toEqual([404, "no_service: no such webhook (it may have been revoked)"]);
    expect(
      await answers(postJson(`${server.url}/api/hooks/wh_unknown/${secret}`, { text: "a" })),
    ).toEqual([404, "no_service: no such webhook (it may have been revoked)"]);
    expect(await answers(postJson(made.url, "{oops"))).toEqual([
      400,
      "invalid_payload: the body is not valid JSON",
    ]);
    expect(await answers(postJson(made.url, { username: "x" }))).toEqual([
      400,
      'no_text: the body has no "text"',
    ]);
    const plain = await answers(
      fetch(made.url, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }),
    );
    expect(plain[0]).toBe(415);
    expect(plain[1]).toContain("unsupported_media_type");
    const get = await fetch(made.url);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    // Over 64 KiB: refused by its declared length, and a chunked one once it passes the cap.
    const big = JSON.stringify({ text: "x".repeat(70 * 1024) });
    expect(await answers(postJson(made.url, big))).toEqual([
      413,
      "payload_too_large: the body is over 64 KiB",
    ]);
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await fetch(made.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(rows("select 1 from message where room_id = ?", room.id)).toEqual([]);
  });

  it("a revoked webhook answers 404 and its bot leaves the room; both changes are audited", async () => {
    const { room, mo, mia } = await moderatedRoom();
    const made = await makeHook(room.id, mo.cookie, "Nightly");
    const listed = await callServerFn<{ ok: true; webhooks: { id: string; name: string }[] }>(
      server.url,
      "listIncomingWebhooksFn",
      { roomId: room.id },
      { cookie: mo.cookie },
    );
    expect(listed).toMatchObject({
      ok: true,
      result: { ok: true, webhooks: [{ id: made.webhook.id, name: "Nightly" }] },
    });
    // A member may neither list nor revoke.
    for (const [fn, data] of [
      ["listIncomingWebhooksFn", { roomId: room.id }],
      ["revokeIncomingWebhookFn", { roomId: room.id, id: made.webhook.id }],
    ] as const) {
      const refused = await callServerFn<Refused>(server.url, fn, data, { cookie: mia.cookie });
      expect(refused).toMatchObject({
        ok: true,
        result: {
          ok: false,
          error: "Only the room's moderators and admins can manage its webhooks.",
        },
      });
    }
    const revoked = await callServerFn(
      server.url,
      "revokeIncomingWebhookFn",
      { roomId: room.id, id: made.webhook.id },
      { cookie: mo.cookie },
    );
    expect(revoked).toMatchObject({ ok: true, result: { ok: true } });
    const again = await callServerFn(
      server.url,
      "revokeIncomingWebhookFn",
      { roomId: room.id, id: made.webhook.id },
      { cookie: mo.cookie },
    );
    expect(again).toMatchObject({
      result: { ok: false, error: "No such webhook: it may be revoked already." },
    });
    const response = await postJson(made.url, { text: "still here?" });
    expect([response.status, await response.text()]).toEqual([
      404,
      "no_service: no such webhook (it may have been revoked)",
    ]);
    const audit = rows<{ action: string; actor_id: string; details: string }>(
      "select action, actor_id, details from audit_log where room_id = ? order by at",
      room.id,
    );
    expect(audit.map((a) => [a.action, a.actor_id, JSON.parse(a.details).webhookId])).toEqual([
      ["webhook.create", mo.userId, made.webhook.id],
      ["webhook.revoke", mo.userId, made.webhook.id],
    ]);
    const bot = rows<{ bot_user_id: string }>(
      "select bot_user_id from incoming_webhook where id = ?",
      made.webhook.id,
    )[0]?.bot_user_id;
    expect(
      rows("select 1 from room_member where room_id = ? and user_id = ?", room.id, bot ?? ""),
    ).toEqual([]);
  });

  it("a member cannot make one, nor can anyone in an archived room; a bad name is refused", async () => {
    const { room, mo, mia } = await moderatedRoom();
    const byMember = await callServerFn<Refused>(
      server.url,
      "createIncomingWebhookFn",
      { roomId: room.id, name: "Mine" },
      { cookie: mia.cookie },
    );
    expect(byMember).toMatchObject({
      result: {
        ok: false,
        error: "Only the room's moderators and admins can manage its webhooks.",
      },
    });
    const badName = await callServerFn<Refused>(
      server.url,
      "createIncomingWebhookFn",
      { roomId: room.id, name: "   " },
      { cookie: mo.cookie },
    );
    expect(badName).toMatchObject({ result: { ok: false, error: "Enter a name." } });
    const made = await makeHook(room.id, mo.cookie);
    await callServerFn(
      server.url,
      "setRoomArchivedFn",
      { roomId: room.id, archived: true },
      { cookie: mo.cookie },
    );
    const inArchived = await callServerFn<Refused>(
      server.url,
      "createIncomingWebhookFn",
      { roomId: room.id, name: "Late" },
      { cookie: mo.cookie },
    );
    expect(inArchived).toMatchObject({
      result: { ok: false, error: "This room is archived: unarchive it first." },
    });
    // The room refuses the post itself, in the rule's words.
    const response = await postJson(made.url, { text: "into the archive" });
    expect([response.status, await response.text()]).toEqual([
      403,
      "forbidden: This room is archived: it is read-only.",
    ]);
    expect(
      rows("select 1 from audit_log where room_id = ? and action = 'webhook.create'", room.id),
    ).toHaveLength(1);
    expect(rows("select 1 from message where room_id = ?", room.id)).toEqual([]);
  });

  it("an announcement-only room refuses it, a moderator muting its bot too", async () => {
    const { room, mo } = await moderatedRoom();
    const made = await makeHook(room.id, mo.cookie);
    sql("update room set announcement_only = 1 where id = ?", room.id);
    const response = await postJson(made.url, { text: "announce" });
    expect([response.status, await response.text()]).toEqual([
      403,
      "forbidden: Only moderators can post in this room.",
    ]);
    sql("update room set announcement_only = 0 where id = ?", room.id);
    sql(
      "update room_member set mod_muted = 1 where room_id = ? and user_id = (select bot_user_id from incoming_webhook where id = ?)",
      room.id,
      made.webhook.id,
    );
    const muted = await postJson(made.url, { text: "muted" });
    expect([muted.status, await muted.text()]).toEqual([
      403,
      "forbidden: A moderator muted you in this room.",
    ]);
    expect(rows("select 1 from message where room_id = ?", room.id)).toEqual([]);
  });

  it("a socket's send frame cannot claim to be a webhook's", async () => {
    const { room, mia } = await moderatedRoom();
    const clientId = randomUUID();
    const start = mia.socket.frames.length;
    mia.socket.send({
      type: "send",
      roomId: room.id,
      clientId,
      text: "I am CI",
      via: { webhook: "CI" },
    });
    const answer = await mia.socket.next(
      (f) =>
        mia.socket.frames.indexOf(f) >= start &&
        (f.type === "ack" || f.type === "error") &&
        f.clientId === clientId,
    );
    if (answer.type === "ack") expect((answer.message as WireMessage).via).toBeUndefined();
    else expect(answer).toMatchObject({ code: "bad_frame" });
    expect(
      rows<{ via: string | null }>("select via from message where room_id = ?", room.id),
    ).toEqual(answer.type === "ack" ? [{ via: null }] : []);
    // An ordinary send beside it stays plain too.
    const plain = await sendAndAck(mia.socket, room.id, "plain");
    expect(plain.via).toBeUndefined();
  });
});

describe("incoming webhook rate limit", () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await startServer({ env: { PARLEY_RATE_PER_SECOND: "1", PARLEY_RATE_BURST: "2" } });
    await signUp(limited.url);
  });
  afterAll(() => limited?.stop());

  it("answers 429 with Retry-After past the webhook's burst, storing only what it took", async () => {
    const room = createRoom(limited.dataDir);
    const mo = await joinAs(limited.url, [room.slug]);
    sockets.push(mo.socket);
    const db = openDb(limited.dataDir);
    db.prepare("update room_member set role = 'moderator' where room_id = ? and user_id = ?").run(
      room.id,
      mo.userId,
    );
    db.close();
    const answer = await callServerFn<Made>(
      limited.url,
      "createIncomingWebhookFn",
      { roomId: room.id, name: "Chatty" },
      { cookie: mo.cookie },
    );
    if (!answer.ok || !answer.result.ok) throw new Error("no webhook");
    const statuses: number[] = [];
    let refusal: Response | undefined;
    for (let i = 0; i < 6 && !refusal; i++) {
      const response = await postJson(answer.result.url, { text: `burst ${i}` });
      statuses.push(response.status);
      if (response.status === 429) refusal = response;
      else await response.text();
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(refusal?.status).toBe(429);
    expect(Number(refusal?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refusal?.text()).toMatch(/^rate_limited: slow down, retry in \d+ s$/);
    const db2 = openDb(limited.dataDir);
    const stored = db2
      .prepare("select count(*) as n from message where room_id = ?")
      .get(room.id) as {
      n: number;
    };
    db2.close();
    expect(stored.n).toBe(statuses.filter((s) => s === 200).length);
  });
});
