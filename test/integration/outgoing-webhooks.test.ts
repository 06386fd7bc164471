import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../../src/server/webhooks/signature.server";
import { connect, type Frame, signUp, type TestSocket } from "../helpers/clients";
import { openDb, startServeLike } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Issue 15, outgoing webhooks, against the built server and a receiver
// this test runs on loopback (allowed by PARLEY_WEBHOOK_ALLOW_HOSTS).

const RETRY_BASE_MS = 400;

type Received = { path: string; headers: IncomingMessage["headers"]; body: string; at: number };
type Answer = { status: number; body?: string; hang?: boolean };

let server: RunningServer;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** How each path answers its n-th request (0-based); 200 when unset. */
const behaviour = new Map<string, (n: number) => Answer>();
let owner: { cookie: string; name: string };
let ownerSocket: TestSocket;

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const at = (path: string) => received.filter((r) => r.path === path);

function query<T>(sql: string, ...params: (string | number | null)[]): T[] {
  const db = openDb(server.dataDir);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

async function fn<T>(name: string, data: unknown, cookie = owner.cookie, method?: "GET" | "POST") {
  const answer = await callServerFn<T>(server.url, name, data, { cookie, method });
  if (!answer.ok) throw new Error(`${name}: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

type Created = { ok: true; webhook: { id: string; botUserId: string }; secret: string };

async function newRoom(): Promise<string> {
  const made = await fn<{ ok: boolean; room?: { id: string } }>("createRoomFn", {
    name: `hooks ${randomUUID().slice(0, 6)}`,
  });
  if (!made.room) throw new Error(JSON.stringify(made));
  ownerSocket.send({ type: "subscribe", roomId: made.room.id });
  await ownerSocket.next((f) => f.type === "subscribed" && f.roomId === made.room?.id);
  return made.room.id;
}

async function newHook(
  roomId: string | null,
  path: string,
  events = ["message_created"],
  cookie = owner.cookie,
) {
  return fn<Created | { ok: false; error: string }>(
    "createOutgoingWebhookFn",
    { roomId, name: `hook ${path}`, targetUrl: `${receiverUrl}${path}`, events },
    cookie,
  );
}

async function hook(roomId: string | null, path: string, events?: string[]): Promise<Created> {
  const made = await newHook(roomId, path, events);
  if (!made.ok) throw new Error(made.error);
  return made;
}

async function say(roomId: string, text: string, extra: Record<string, unknown> = {}) {
  const clientId = randomUUID();
  ownerSocket.send({ type: "send", roomId, clientId, text, ...extra });
  const ack = await ownerSocket.next((f) => f.type === "ack" && f.clientId === clientId);
  return ack.message as { id: string; seq: number };
}

/** The event as the receiver reads it (docs/ARCHITECTURE.md "Outgoing webhooks"). */
type Payload = {
  id: string;
  event: string;
  webhook: { id: string; name: string };
  room: { id: string; slug: string; name: string };
  message?: { id: string; seq: number; text: string; threadRootId?: string };
  mentions?: string[];
  user?: { id: string; name: string; handle?: string };
};
const payloadOf = (r: Received) => JSON.parse(r.body) as Payload;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const path = request.url ?? "/";
      const n = at(path).length;
      received.push({
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      const answer = behaviour.get(path)?.(n) ?? { status: 200 };
      if (answer.hang) return; // never answers: the sender's deadline must fire
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(answer.body ?? "{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  server = await startServeLike({
    env: {
      PARLEY_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      PARLEY_WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
      PARLEY_WEBHOOK_TIMEOUT_MS: "1500",
    },
  });
  owner = await signUp(server.url, { name: "Olive" }); // the first account: the owner
  ownerSocket = await connect(server.url, owner.cookie);
}, 60_000);

afterAll(async () => {
  ownerSocket?.close();
  await server?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe("outgoing webhooks", () => {
  it("POSTs a signed message_created event that the receiver verifies", async () => {
    const roomId = await newRoom();
    const made = await hook(roomId, "/signed");
    expect(made.secret).toMatch(/^whsec_/);
    const message = await say(roomId, "hello receiver");
    const [got] = await waitFor(() => at("/signed").length >= 1 && at("/signed"));
    if (!got) throw new Error("nothing received");
    const headers = {
      timestamp: String(got.headers["x-parley-timestamp"]),
      signature: String(got.headers["x-parley-signature"]),
    };
    expect(verifySignature(made.secret, headers, got.body)).toBe(true);
    // A wrong secret or a changed body does not verify.
    expect(verifySignature(`${made.secret}x`, headers, got.body)).toBe(false);
    expect(verifySignature(made.secret, headers, `${got.body} `)).toBe(false);
    const payload = payloadOf(got);
    expect(payload).toMatchObject({
      event: "message_created",
      webhook: { id: made.webhook.id },
      room: { id: roomId },
      message: { id: message.id, seq: message.seq, text: "hello receiver" },
    });
    expect(got.headers["x-parley-event"]).toBe("message_created");
    expect(got.headers["x-parley-delivery"]).toBe(payload.id);
    await waitFor(
      () =>
        query<{ status: string }>("SELECT status FROM webhook_delivery WHERE id = ?", payload.id)[0]
          ?.status === "done",
    );
  });

  it("retries a receiver that fails twice, with backoff, and marks one delivery done", async () => {
    const roomId = await newRoom();
    behaviour.set("/flaky", (n) => ({ status: n < 2 ? 503 : 200 }));
    const made = await hook(roomId, "/flaky");
    await say(roomId, "third time lucky");
    const tries = await waitFor(() => at("/flaky").length >= 3 && at("/flaky"));
    const [a, b, c] = tries as [Received, Received, Received];
    // The same event each time, and waits that grow (base, then twice it).
    expect(new Set(tries.map((t) => t.headers["x-parley-delivery"])).size).toBe(1);
    expect(b.at - a.at).toBeGreaterThanOrEqual(RETRY_BASE_MS - 50);
    expect(c.at - b.at).toBeGreaterThanOrEqual(2 * RETRY_BASE_MS - 50);
    const rows = await waitFor(() => {
      const found = query<{ status: string; attempts: number; last_status: number }>(
        "SELECT status, attempts, last_status FROM webhook_delivery WHERE webhook_id = ?",
        made.webhook.id,
      );
      return found[0]?.status === "done" && found;
    });
    expect(rows).toEqual([{ status: "done", attempts: 3, last_status: 200 }]);
    expect(at("/flaky")).toHaveLength(3);
  });

  it("loses nothing when the server restarts in the middle of the retries", async () => {
    const roomId = await newRoom();
    let healthy = false;
    behaviour.set("/restart", () => ({ status: healthy ? 200 : 500 }));
    const made = await hook(roomId, "/restart");
    await say(roomId, "survive a restart");
    await waitFor(() => at("/restart").length >= 1);
    ownerSocket.close();
    await server.stop();
    const before = query<{ status: string; attempts: number }>(
      "SELECT status, attempts FROM webhook_delivery WHERE webhook_id = ?",
      made.webhook.id,
    );
    expect(before).toHaveLength(1);
    expect(before[0]?.status).toBe("pending");
    healthy = true;
    await server.restart();
    ownerSocket = await connect(server.url, owner.cookie);
    const done = await waitFor(() => {
      const found = query<{ status: string; attempts: number }>(
        "SELECT status, attempts FROM webhook_delivery WHERE webhook_id = ?",
        made.webhook.id,
      );
      return found[0]?.status === "done" && found;
    });
    expect(done).toHaveLength(1);
    expect(done[0]?.attempts).toBeGreaterThanOrEqual(2);
    const last = at("/restart").at(-1);
    expect(last && payloadOf(last).message?.text).toBe("survive a restart");
  }, 60_000);

  it("posts the answer's text back in the room as the webhook's bot, and starts no loop", async () => {
    const roomId = await newRoom();
    behaviour.set("/reply", () => ({ status: 200, body: JSON.stringify({ text: "pong" }) }));
    const made = await hook(roomId, "/reply");
    await say(roomId, "ping");
    const frame = await ownerSocket.next(
      (f: Frame) => f.type === "message" && (f.message as { text: string }).text === "pong",
      20_000,
    );
    const message = frame.message as { author: { id: string; bot?: boolean }; roomId: string };
    expect(message.roomId).toBe(roomId);
    expect(message.author.id).toBe(made.webhook.botUserId);
    // The bot's own message started no delivery: the next one is the only other.
    await say(roomId, "again");
    await waitFor(() => at("/reply").length >= 2);
    const texts = at("/reply").map((r) => payloadOf(r).message?.text);
    expect(texts).toEqual(["ping", "again"]);
  });

  it("posts the answer in the thread when the event's message was a reply in one", async () => {
    const roomId = await newRoom();
    behaviour.set("/thread", (n) =>
      n === 0 ? { status: 200 } : { status: 200, body: JSON.stringify({ text: "in thread" }) },
    );
    await hook(roomId, "/thread");
    const root = await say(roomId, "a root");
    await waitFor(() => at("/thread").length >= 1);
    await say(roomId, "a reply", { threadRootId: root.id });
    const frame = await ownerSocket.next(
      (f: Frame) => f.type === "message" && (f.message as { text: string }).text === "in thread",
      20_000,
    );
    expect((frame.message as { threadRootId?: string }).threadRootId).toBe(root.id);
    const second = at("/thread")[1];
    expect(second && payloadOf(second).message?.threadRootId).toBe(root.id);
  });

  it("sends mention and member_joined events to the webhooks that asked", async () => {
    const roomId = await newRoom();
    await hook(roomId, "/events", ["mention", "member_joined"]);
    const bob = await signUp(server.url, {
      name: "Bobby Tables",
      email: `bobby-${randomUUID().slice(0, 6)}@example.test`,
    });
    const joined = await fn<{ ok: boolean }>("joinRoomFn", { roomId }, bob.cookie);
    expect(joined.ok).toBe(true);
    const join = await waitFor(() => at("/events")[0]);
    expect(payloadOf(join)).toMatchObject({
      event: "member_joined",
      room: { id: roomId },
      user: { name: "Bobby Tables" },
    });
    const bobId = payloadOf(join).user?.id;
    const handle = payloadOf(join).user?.handle;
    await say(roomId, "no mention here"); // message_created: this hook did not ask
    await say(roomId, `hey @${handle}`);
    const mention = await waitFor(() => at("/events")[1]);
    expect(payloadOf(mention)).toMatchObject({
      event: "mention",
      mentions: [bobId],
      message: { text: `hey @${handle}` },
    });
    expect(at("/events")).toHaveLength(2);
  });

  it("a server-wide webhook hears every room; a revoked one hears nothing", async () => {
    const wide = await hook(null, "/wide");
    const roomId = await newRoom();
    const gone = await hook(roomId, "/revoked");
    const revoked = await fn<{ ok: boolean }>("revokeOutgoingWebhookFn", { id: gone.webhook.id });
    expect(revoked.ok).toBe(true);
    const again = await fn<{ ok: boolean; error?: string }>("revokeOutgoingWebhookFn", {
      id: gone.webhook.id,
    });
    expect(again).toEqual({ ok: false, error: "That webhook was revoked already." });
    await say(roomId, "anyone there?");
    const got = await waitFor(() =>
      at("/wide").find((r) => payloadOf(r).message?.text === "anyone there?"),
    );
    expect(payloadOf(got).webhook.id).toBe(wide.webhook.id);
    expect(at("/revoked")).toHaveLength(0);
    // Both changes were audited with the change.
    const audit = query<{ action: string }>(
      "SELECT action FROM audit_log WHERE details LIKE ? ORDER BY at",
      `%${gone.webhook.id}%`,
    );
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.revoke"]);
    await fn("revokeOutgoingWebhookFn", { id: wide.webhook.id });
  });

  it("records a timeout and a refused address as failed tries, to retry", async () => {
    const roomId = await newRoom();
    behaviour.set("/slow", () => ({ status: 200, hang: true }));
    const slow = await hook(roomId, "/slow");
    const refused = await fn<Created>("createOutgoingWebhookFn", {
      roomId,
      name: "metadata",
      targetUrl: "http://169.254.169.254/latest",
      events: ["message_created"],
    });
    expect(refused.ok).toBe(true);
    await say(roomId, "will it answer?");
    const row = (id: string) =>
      query<{ status: string; attempts: number; last_error: string | null }>(
        "SELECT status, attempts, last_error FROM webhook_delivery WHERE webhook_id = ?",
        id,
      )[0];
    const timedOut = await waitFor(() => {
      const found = row(slow.webhook.id);
      return found && found.attempts >= 1 && found;
    });
    expect(timedOut.status).toBe("pending");
    expect(timedOut.last_error).toMatch(/timed out/);
    const blocked = await waitFor(() => {
      const found = row(refused.webhook.id);
      return found && found.attempts >= 1 && found;
    });
    expect(blocked.status).toBe("pending");
    expect(blocked.last_error).toMatch(/169\.254\.169\.254/);
    await fn("revokeOutgoingWebhookFn", { id: slow.webhook.id });
    await fn("revokeOutgoingWebhookFn", { id: refused.webhook.id });
    // Revoking gives up on what was pending.
    expect(row(slow.webhook.id)?.status).toBe("failed");
  });

  it("refuses bad input and people who may not manage webhooks, changing nothing", async () => {
    const roomId = await newRoom();
    const count = () => query<{ n: number }>("SELECT count(*) AS n FROM outgoing_webhook")[0]?.n;
    const before = count();
    const bad = (data: Record<string, unknown>) =>
      fn<{ ok: boolean; error?: string }>("createOutgoingWebhookFn", {
        roomId,
        name: "x",
        targetUrl: `${receiverUrl}/x`,
        events: ["message_created"],
        ...data,
      });
    expect(await bad({ name: "  " })).toEqual({ ok: false, error: "Enter a webhook name." });
    expect((await bad({ targetUrl: "ftp://example.com/" })).error).toMatch(/http/);
    expect((await bad({ targetUrl: "not a url" })).error).toMatch(/target URL/);
    expect(await bad({ events: [] })).toEqual({ ok: false, error: "Choose at least one event." });
    expect(await bad({ events: ["message_deleted"] })).toEqual({
      ok: false,
      error: "Unknown event.",
    });
    const carol = await signUp(server.url, { name: "Carol" });
    await fn("joinRoomFn", { roomId }, carol.cookie);
    const asMember = await newHook(roomId, "/x", ["message_created"], carol.cookie);
    expect(asMember).toEqual({
      ok: false,
      error: "Only the room's moderators and admins can manage its webhooks.",
    });
    const serverWide = await newHook(null, "/x", ["message_created"], carol.cookie);
    expect(serverWide).toEqual({
      ok: false,
      error: "Only admins can manage server-wide webhooks.",
    });
    const list = await callServerFn(
      server.url,
      "listOutgoingWebhooksFn",
      { roomId },
      {
        cookie: carol.cookie,
        method: "GET",
      },
    );
    expect(list.ok && list.result).toMatchObject({ ok: false });
    const all = await callServerFn(server.url, "listAllDeliveriesFn", undefined, {
      cookie: carol.cookie,
      method: "GET",
    });
    expect(all.ok && all.result).toMatchObject({ ok: false });
    expect(count()).toBe(before);
  });

  it("lists a room's webhooks without secrets, and its deliveries", async () => {
    const roomId = await newRoom();
    const made = await hook(roomId, "/listed");
    await say(roomId, "listed");
    await waitFor(() => at("/listed").length >= 1);
    const answer = await fn<{
      ok: true;
      webhooks: Record<string, unknown>[];
      deliveries: { webhookId: string; event: string; status: string }[];
    }>("listOutgoingWebhooksFn", { roomId }, owner.cookie, "GET");
    expect(answer.webhooks).toHaveLength(1);
    expect(answer.webhooks[0]).toMatchObject({ id: made.webhook.id, events: ["message_created"] });
    expect(answer.webhooks[0]).not.toHaveProperty("secret");
    expect(answer.deliveries[0]).toMatchObject({
      webhookId: made.webhook.id,
      event: "message_created",
    });
    // The admin's log of all holds the room's deliveries too.
    const all = await fn<{ ok: true; deliveries: { webhookId: string }[] }>(
      "listAllDeliveriesFn",
      undefined,
      owner.cookie,
      "GET",
    );
    expect(all.deliveries.some((d) => d.webhookId === made.webhook.id)).toBe(true);
  });
});
