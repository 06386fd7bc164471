// A load-generator process for the reconnect-storm and large-room
// scenarios: many Parley clients that behave as the web client does after a
// drop. Each reconnects with the web client's backoff (src/client/backoff.ts:
// full jitter, attempt reset after a connection that lived
// GOOD_CONNECTION_MS, an attempt abandoned after CONNECT_TIMEOUT_MS), and on
// every `ready` resumes its room by seq (`subscribe` with `afterSeq`) until
// the replay's `done`. Presence and member-list frames are counted by their
// prefix, never parsed: in a storm they are most of what arrives, and
// parsing them would make this process, not the server, the limit.
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { backoffDelay, GOOD_CONNECTION_MS } from "../../src/client/backoff.ts";

const CONNECT_TIMEOUT_MS = 5_000;

export type StormRequest =
  | {
      op: "open";
      base: string;
      cookies: string[];
      slug: string;
      concurrency: number;
      /** Add them parked: not connected until churned in. */
      parked?: boolean;
    }
  | { op: "stats" }
  | { op: "churn"; indexes: number[]; up: boolean }
  /** One message from client `index` (large room); receivers time it from its text. */
  | { op: "send"; index: number }
  | { op: "close" };

export type StormStats = {
  clients: number;
  /** Clients whose current connection has had `ready` and its resume's `done`. */
  resumed: number;
  /** Latest `done` among them (epoch ms), and the latest successful open. */
  lastResumedAt: number;
  lastOpenedAt: number;
  /** Per client: epoch ms of the latest open, for "how long after the server was back". */
  openedAt: number[];
  resumedAt: number[];
  presenceFrames: number;
  /** Changes the presence frames carried (a batched frame carries several). */
  membersFrames: number;
  bytes: number;
  frames: number;
  messages: number;
  attempts: number;
  errors: string[];
  /** This process's CPU (µs) and RSS (KiB), to tell a saturated client. */
  cpuUs: number;
  rssKiB: number;
  /** Delivery latencies (ms) of timed messages since the last stats, then cleared. */
  latencies: number[];
};

type Client = {
  cookie: string;
  ws?: WebSocket;
  attempt: number;
  openedAt: number;
  resumedAt: number;
  roomId?: string;
  lastSeq: number;
  /** Churned off: not reconnecting until told. */
  parked: boolean;
  timer?: ReturnType<typeof setTimeout>;
};

const clients: Client[] = [];
let base = "";
let slug = "general";
const counters = { presence: 0, members: 0, bytes: 0, frames: 0, messages: 0, attempts: 0 };
const errors: string[] = [];
let latencies: number[] = [];
const note = (error: string) => {
  if (errors.length < 20) errors.push(error);
};

const PRESENCE = '{"type":"presence';
const MEMBERS = '{"type":"members';
const SUBSCRIBED = '{"type":"subscribed';

function onFrame(client: Client, data: string) {
  counters.frames++;
  counters.bytes += data.length;
  if (data.startsWith(PRESENCE)) {
    counters.presence++;
    return;
  }
  if (data.startsWith(MEMBERS)) {
    counters.members++;
    return;
  }
  if (data.startsWith(SUBSCRIBED)) {
    // The member list can be long: only lastSeq is read, by hand.
    const match = /"lastSeq":(\d+)/.exec(data);
    if (match) client.lastSeq = Math.max(client.lastSeq, Number(match[1]));
    return;
  }
  const frame = JSON.parse(data) as {
    type: string;
    rooms?: { id: string; slug: string }[];
    done?: boolean;
    messages?: { seq: number }[];
    message?: { seq: number; text?: string };
  };
  switch (frame.type) {
    case "ready": {
      client.roomId = frame.rooms?.find((room) => room.slug === slug)?.id;
      if (!client.roomId) {
        note(`ready without room ${slug}`);
        return;
      }
      const subscribe = { type: "subscribe", roomId: client.roomId, afterSeq: client.lastSeq };
      client.ws?.send(JSON.stringify(subscribe));
      return;
    }
    case "history":
      for (const message of frame.messages ?? [])
        client.lastSeq = Math.max(client.lastSeq, message.seq);
      if (frame.done) client.resumedAt = Date.now();
      return;
    case "message":
      counters.messages++;
      if (frame.message) client.lastSeq = Math.max(client.lastSeq, frame.message.seq);
      if (frame.message?.text?.startsWith("lr|"))
        latencies.push(Date.now() - Number(frame.message.text.split("|")[1]));
      return;
    case "error":
      note(data.slice(0, 200));
      return;
  }
}

function connect(client: Client): Promise<void> {
  counters.attempts++;
  client.resumedAt = 0;
  return new Promise((resolve) => {
    const url = `${base.replace(/^http/, "ws")}/_ws`;
    const ws = new WebSocket(url, {
      headers: { cookie: client.cookie, origin: base },
      perMessageDeflate: false,
    });
    client.ws = ws;
    let opened = false;
    const abandon = setTimeout(() => ws.terminate(), CONNECT_TIMEOUT_MS);
    ws.on("open", () => {
      opened = true;
      clearTimeout(abandon);
      client.openedAt = Date.now();
      resolve();
    });
    ws.on("message", (data) => onFrame(client, String(data)));
    ws.on("error", () => {});
    ws.on("close", () => {
      clearTimeout(abandon);
      if (client.ws !== ws) return;
      client.ws = undefined;
      client.resumedAt = 0;
      if (!opened) resolve();
      // The web client's rule: a connection that lived long enough starts
      // the backoff over; failed attempts in a row back off further.
      if (opened && Date.now() - client.openedAt >= GOOD_CONNECTION_MS) client.attempt = 0;
      if (client.parked) return;
      client.timer = setTimeout(() => void connect(client), backoffDelay(client.attempt++));
    });
  });
}

async function openAll(cookies: string[], concurrency: number, parked = false) {
  const start = clients.length;
  for (const cookie of cookies)
    clients.push({ cookie, attempt: 0, openedAt: 0, resumedAt: 0, lastSeq: 0, parked });
  if (parked) return;
  let next = start;
  const lane = async () => {
    for (let i = next++; i < clients.length; i = next++) {
      const client = clients[i];
      if (client) await connect(client);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

function stats(): StormStats {
  const usage = process.resourceUsage();
  let resumed = 0;
  let lastResumedAt = 0;
  let lastOpenedAt = 0;
  for (const client of clients) {
    if (client.parked) continue;
    if (client.resumedAt > 0) resumed++;
    lastResumedAt = Math.max(lastResumedAt, client.resumedAt);
    lastOpenedAt = Math.max(lastOpenedAt, client.openedAt);
  }
  return {
    clients: clients.filter((c) => !c.parked).length,
    resumed,
    lastResumedAt,
    lastOpenedAt,
    openedAt: clients.map((c) => c.openedAt),
    resumedAt: clients.map((c) => c.resumedAt),
    presenceFrames: counters.presence,
    membersFrames: counters.members,
    bytes: counters.bytes,
    frames: counters.frames,
    messages: counters.messages,
    attempts: counters.attempts,
    errors: [...errors],
    cpuUs: usage.userCPUTime + usage.systemCPUTime,
    rssKiB: Math.round(process.memoryUsage.rss() / 1024),
    latencies: takeLatencies(),
  };
}

function takeLatencies(): number[] {
  const taken = latencies;
  latencies = [];
  return taken;
}

/** Churn: park (close for good) or bring back the given clients. */
function churn(indexes: number[], up: boolean) {
  for (const index of indexes) {
    const client = clients[index];
    if (!client) continue;
    client.parked = !up;
    clearTimeout(client.timer);
    if (up && !client.ws) void connect(client);
    if (!up) client.ws?.close();
  }
}

process.on("message", async (request: StormRequest & { id: number }) => {
  const reply = (body: object) => process.send?.({ id: request.id, ...body });
  try {
    switch (request.op) {
      case "open":
        base = request.base;
        slug = request.slug;
        await openAll(request.cookies, request.concurrency, request.parked);
        reply({ ok: true });
        return;
      case "stats":
        reply({ stats: stats() });
        return;
      case "churn":
        churn(request.indexes, request.up);
        reply({ ok: true });
        return;
      case "send": {
        const client = clients[request.index];
        if (client?.ws && client.roomId) {
          const text = `lr|${Date.now()}|large room`;
          const frame = { type: "send", roomId: client.roomId, clientId: randomUUID(), text };
          client.ws.send(JSON.stringify(frame));
        }
        reply({ ok: true });
        return;
      }
      case "close":
        for (const client of clients) {
          client.parked = true;
          clearTimeout(client.timer);
          client.ws?.terminate();
        }
        clients.length = 0;
        reply({ ok: true });
        return;
    }
  } catch (error) {
    reply({ error: String(error) });
  }
});
