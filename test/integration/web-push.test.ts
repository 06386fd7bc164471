import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifyTag, type PushPayload } from "../../src/protocol/push";
import {
  createRoom,
  joinAs,
  type Member,
  openDb,
  runExpectingExit,
  sendAndAck,
} from "../helpers/integration-extra";
import { type BrowserKeys, browserKeys, decryptPush, verifyVapid } from "../helpers/push-decrypt";
import { type PushService, type ReceivedPush, startPushService } from "../helpers/push-service";
import { type RunningServer, startServer } from "../helpers/server";

// Web Push (issue 13) against a push service this test runs on loopback:
// the built server stores a browser-like subscription, encrypts per RFC
// 8291 and signs with VAPID; the test checks both as a browser and a push
// service would. Nobody's socket reports a visible tab, so nobody is seen.
let push: PushService;
let server: RunningServer;
beforeAll(async () => {
  push = await startPushService();
  server = await startServer({ env: { NODE_EXTRA_CA_CERTS: push.certFile, LOG_LEVEL: "info" } });
});
afterAll(async () => {
  await server?.stop();
  await push?.close();
});

/** A device of `member`: its keys, and its endpoint stored through POST /api/push/subscriptions. */
async function subscribe(member: Member, device = randomUUID()) {
  const keys = browserKeys();
  const response = await postSubscription(member.cookie, {
    endpoint: push.endpoint(device),
    keys: keys.keys,
  });
  expect(response.status).toBe(201);
  return { device, keys };
}

function postSubscription(cookie: string | undefined, body: unknown, origin = server.url) {
  return fetch(`${server.url}/api/push/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json", origin, ...(cookie && { cookie }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function subscriptionRows(userId?: string) {
  const db = openDb(server.dataDir);
  try {
    const rows = db
      .prepare("SELECT user_id, endpoint, p256dh, auth, last_ok_at FROM push_subscription")
      .all() as {
      user_id: string;
      endpoint: string;
      p256dh: string;
      auth: string;
      last_ok_at: number | null;
    }[];
    return userId ? rows.filter((row) => row.user_id === userId) : rows;
  } finally {
    db.close();
  }
}

/** Waits until `check` holds, polling the database (a condition, not a sleep). */
async function until(check: () => boolean, timeoutMs = 10_000) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const serverKey = () =>
  (JSON.parse(readFileSync(join(server.dataDir, "vapid.json"), "utf8")) as { publicKey: string })
    .publicKey;

/** The push verified as from this server, decrypted with the device's keys. */
function open(received: ReceivedPush, keys: BrowserKeys): PushPayload {
  const claims = verifyVapid(received.headers.authorization as string, serverKey());
  expect(claims.aud).toBe(push.origin);
  expect(claims.exp * 1000).toBeGreaterThan(Date.now());
  expect(claims.sub).toMatch(/^(mailto:|https:)/);
  expect(received.headers["content-encoding"]).toBe("aes128gcm");
  return JSON.parse(decryptPush(received.body, keys)) as PushPayload;
}

function handleOf(member: Member): string {
  const user = member.socket.frames.find((f) => f.type === "ready")?.user as
    | { handle?: string }
    | undefined;
  if (!user?.handle) throw new Error("ready carried no handle");
  return user.handle;
}

async function pair() {
  const room = createRoom(server.dataDir);
  const ann = await joinAs(server.url, [room.slug]);
  const bob = await joinAs(server.url, [room.slug]);
  return { room, ann, bob };
}

describe("web push routes", () => {
  it("GET /api/push/key gives the key generated into the data folder (mode 0600)", async () => {
    const { ann } = await pair();
    const response = await fetch(`${server.url}/api/push/key`, {
      headers: { cookie: ann.cookie, origin: server.url },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ publicKey: serverKey() });
    expect(statSync(join(server.dataDir, "vapid.json")).mode & 0o777).toBe(0o600);
    expect((await fetch(`${server.url}/api/push/key`)).status).toBe(401);
  });

  it("refuses no session (401), a foreign Origin (403), a bad body (400) and a big one (413)", async () => {
    const { ann } = await pair();
    const good = { endpoint: push.endpoint("refused"), keys: browserKeys().keys };
    expect((await postSubscription(undefined, good)).status).toBe(401);
    const foreign = await postSubscription(ann.cookie, good, "https://evil.example");
    expect(foreign.status).toBe(403);
    const notJson = await postSubscription(ann.cookie, "{nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "bad_json" });
    const noKeys = await postSubscription(ann.cookie, { endpoint: push.endpoint("x") });
    expect(noKeys.status).toBe(400);
    expect(await noKeys.json()).toMatchObject({
      error: "bad_body",
      message: expect.stringMatching(/keys/),
    });
    const notUrl = await postSubscription(ann.cookie, { ...good, endpoint: "ftp://x" });
    expect(notUrl.status).toBe(400);
    const big = await postSubscription(ann.cookie, { ...good, pad: "x".repeat(9000) });
    expect(big.status).toBe(413);
    const put = await fetch(`${server.url}/api/push/subscriptions`, {
      method: "PUT",
      headers: { origin: server.url, cookie: ann.cookie },
    });
    expect(put.status).toBe(405);
    const keyFromAfar = await fetch(`${server.url}/api/push/key`, {
      headers: { cookie: ann.cookie, origin: "https://evil.example" },
    });
    expect(keyFromAfar.status).toBe(403);
    expect(subscriptionRows(ann.userId)).toEqual([]);
  });

  it("stores again on re-subscribe (new keys, new user), and DELETE removes only the caller's own", async () => {
    const { ann, bob } = await pair();
    const endpoint = push.endpoint(randomUUID());
    expect(
      (await postSubscription(ann.cookie, { endpoint, keys: browserKeys().keys })).status,
    ).toBe(201);
    const fresh = browserKeys().keys;
    expect((await postSubscription(bob.cookie, { endpoint, keys: fresh })).status).toBe(201);
    expect(subscriptionRows().filter((row) => row.endpoint === endpoint)).toMatchObject([
      { user_id: bob.userId, p256dh: fresh.p256dh, auth: fresh.auth },
    ]);
    const remove = (cookie: string, body: unknown) =>
      fetch(`${server.url}/api/push/subscriptions`, {
        method: "DELETE",
        headers: { "content-type": "application/json", origin: server.url, cookie },
        body: JSON.stringify(body),
      });
    expect((await remove(ann.cookie, { endpoint })).status).toBe(404);
    expect(subscriptionRows(bob.userId)).toHaveLength(1);
    expect((await remove(bob.cookie, {})).status).toBe(400);
    expect((await remove(bob.cookie, { endpoint })).status).toBe(204);
    expect(subscriptionRows(bob.userId)).toEqual([]);
  });
});

describe("web push delivery", () => {
  it("a mention reaches the device: VAPID-signed, encrypted, with room, author and text; a read closes it", async () => {
    const { room, ann, bob } = await pair();
    const { device, keys } = await subscribe(bob);
    const message = await sendAndAck(ann.socket, room.id, `@${handleOf(bob)} lunch at noon?`);
    const shown = open(await push.next((p) => p.device === device), keys);
    expect(shown).toEqual({
      type: "show",
      tag: notifyTag(room.id, message.seq),
      title: `${ann.name} in #${room.slug}`,
      body: `@${handleOf(bob)} lunch at noon?`,
      url: `/r/${room.slug}?m=${message.seq}`,
      roomId: room.id,
      seq: message.seq,
    });
    const [first] = push.pushesTo(device);
    expect(first?.headers.urgency).toBe("high");
    expect(Number(first?.headers.ttl)).toBeGreaterThan(0);
    await until(() => subscriptionRows(bob.userId)[0]?.last_ok_at != null);

    // Read on some device: the shown notification is withdrawn by its tag.
    bob.socket.send({ type: "read", roomId: room.id, seq: message.seq });
    const closed = open(
      await push.next((p) => p.device === device && push.pushesTo(device).indexOf(p) === 1),
      keys,
    );
    expect(closed).toEqual({ type: "close", tags: [notifyTag(room.id, message.seq)] });
  });

  it("with message text hidden, the push names room and author but carries no text", async () => {
    const { room, ann, bob } = await pair();
    const db = openDb(server.dataDir);
    try {
      db.prepare(
        "INSERT INTO notify_settings (user_id, default_level, email, show_text, updated_at) VALUES (?, 'mentions', 1, 0, ?)",
      ).run(bob.userId, Date.now());
    } finally {
      db.close();
    }
    const { device, keys } = await subscribe(bob);
    const message = await sendAndAck(ann.socket, room.id, `@${handleOf(bob)} the secret plan`);
    const shown = open(await push.next((p) => p.device === device), keys);
    expect(shown).toMatchObject({
      type: "show",
      title: `${ann.name} in #${room.slug}`,
      seq: message.seq,
    });
    expect(shown).not.toHaveProperty("body");
  });

  it("a 410 removes the subscription: the next message sends nothing to it; a 500 keeps it", async () => {
    const { room, ann, bob } = await pair();
    const gone = await subscribe(bob);
    const failing = await subscribe(bob);
    const kept = await subscribe(bob);
    push.answer(gone.device, 410);
    push.answer(failing.device, 500);
    await sendAndAck(ann.socket, room.id, `@${handleOf(bob)} one`);
    await push.next((p) => p.device === kept.device);
    await push.next((p) => p.device === gone.device);
    await until(
      () => !subscriptionRows(bob.userId).some((row) => row.endpoint.endsWith(gone.device)),
    );
    await until(() => server.output().includes('"push failed"'));
    // Logs name the push service, never the endpoint: its path names the device.
    expect(server.output()).not.toContain(failing.device);
    expect(server.output()).not.toContain(gone.device);

    const second = await sendAndAck(ann.socket, room.id, `@${handleOf(bob)} two`);
    await push.next(
      (p) =>
        p.device === kept.device &&
        open(p, kept.keys).type === "show" &&
        push.pushesTo(kept.device).length === 2,
    );
    expect(open(push.pushesTo(kept.device)[1] as ReceivedPush, kept.keys)).toMatchObject({
      seq: second.seq,
    });
    // Queued together with the kept device's push, and done before it: nothing came.
    await push.next(
      (p) => p.device === failing.device && push.pushesTo(failing.device).length === 2,
    );
    expect(push.pushesTo(gone.device)).toHaveLength(1);
    expect(
      subscriptionRows(bob.userId)
        .map((row) => row.endpoint)
        .sort(),
    ).toEqual([push.endpoint(failing.device), push.endpoint(kept.device)].sort());
  });

  it("measures the time from a send to the push endpoint over 100 mentions", async () => {
    const { room, ann, bob } = await pair();
    const { device, keys } = await subscribe(bob);
    const handle = handleOf(bob);
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const start = performance.timeOrigin + performance.now();
      const message = await sendAndAck(ann.socket, room.id, `@${handle} ping ${i}`);
      const received = await push.next(
        (p) => p.device === device && push.pushesTo(device).indexOf(p) === i,
      );
      expect(open(received, keys)).toMatchObject({ seq: message.seq });
      times.push(received.at - start);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? 0;
    console.log(
      `web push latency over ${times.length} mentions: p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`,
    );
  });
});

describe("web push startup", () => {
  it("a damaged vapid.json stops the server with a message naming it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "parley-vapid-"));
    writeFileSync(join(dataDir, "vapid.json"), "{ damaged", { mode: 0o600 });
    const run = await runExpectingExit({ PARLEY_DATA_DIR: dataDir });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.output).toContain(`${join(dataDir, "vapid.json")} is not a valid VAPID key pair`);
  });

  it("keys set in the environment that are not one pair stop the server", async () => {
    const run = await runExpectingExit({
      PARLEY_VAPID_PUBLIC_KEY: browserKeys().keys.p256dh,
      PARLEY_VAPID_PRIVATE_KEY: browserKeys().keys.auth,
    });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.output).toContain("are not one P-256 key pair");
  });
});
