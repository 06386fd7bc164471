// A load-generator process, driven by the harness over IPC (see driver.ts).
// It holds many client connections, sends on a schedule, and records the
// latency of every delivery from the send time stamped in the message text.
import { Histogram, nowMs } from "../lib/stats.ts";
import { ackStampOf, clientIdFor, padding, stampOf, textFor } from "../lib/wire.ts";
import { connect } from "./connect.ts";
import { blast, type OneSocket, replay } from "./one-socket.ts";
import type { ConnSpec, Kind, Reply, Request } from "./protocol.ts";
import { attr, bodyStampOf, fromNick, groupchat, openXmpp } from "./xmpp.ts";

type Conn = {
  send(frame: string): void;
  close(): void;
  rooms: Map<string, string>;
  /** A chat message to `roomId` in this system's protocol. */
  say(roomId: string, clientId: string, text: string): void;
};

/** Parley's (and the baselines') `send` frame. */
const jsonSay =
  (send: (frame: string) => void) => (roomId: string, clientId: string, text: string) =>
    send(JSON.stringify({ type: "send", roomId, clientId, text }));

const conns: Conn[] = [];
/** Deliveries per step: how many arrived and how late. */
const steps = new Map<number, Histogram>();
const acks = new Map<number, Histogram>();
const errors: string[] = [];
/** When each step started and when its last ack arrived (throughput = acks over that span). */
const starts = new Map<number, number>();
const lastAck = new Map<number, number>();
/** Per-connection hooks for ops that wait on one socket's frames. */
const listeners = new Map<number, (frame: string) => void>();

/** XMPP logins retried since the last `open` reply. */
let xmppRetried = 0;
/** Every frame received, to tell when a server has worked off its backlog. */
let framesIn = 0;
/** The step being sent, and whether it fell so far behind that sending stopped. */
let sending = { step: -1, abortMs: Number.POSITIVE_INFINITY, aborted: false };

const record = (table: Map<number, Histogram>, step: number, sentAt: number) => {
  let histogram = table.get(step);
  if (!histogram) {
    histogram = new Histogram();
    table.set(step, histogram);
  }
  const latency = nowMs() - sentAt;
  histogram.record(latency);
  // Ten times the SLO late: the step has failed; sending on only piles up
  // a backlog that the next step would inherit.
  if (step === sending.step && latency > sending.abortMs) sending.aborted = true;
};

/**
 * The lite client's bytes to onFrame's string. Presence frames (a storm of
 * them while a thousand Parley users connect) are dropped undecoded; bench
 * frames are ASCII where it matters, so latin1 (a plain copy) will do.
 */
const onPayload = (index: number) => (buf: Buffer, start: number, end: number) => {
  const kind = buf.toString("latin1", start + 9, start + 13);
  if (kind === "pres" && !listeners.has(index)) return;
  const ascii = kind === "mess" || kind === 'ack"';
  onFrame(index, buf.toString(ascii ? "latin1" : "utf8", start, end));
};

const PRESENCE = 0x70; // "p" of "<presence"
const MESSAGE = 0x6d; // "m" of "<message"

/**
 * An XMPP connection's stanzas. A groupchat message from the room under
 * another nick is a delivery; from our own nick it is the room's echo of our
 * send, which is what tells an XMPP client its message went out: the ack.
 * Presences (a storm of them while rooms fill) are dropped undecoded.
 */
const onXmppPayload =
  (index: number, nick: string) => (buf: Buffer, start: number, end: number) => {
    const first = buf[start + 1];
    if (first === PRESENCE && !listeners.has(index)) return;
    framesIn++;
    const stanza = buf.toString("latin1", start, end);
    if (first === MESSAGE) {
      const stamp = bodyStampOf(stanza);
      if (stamp) {
        if (fromNick(stanza) === nick) {
          record(acks, stamp.step, stamp.sentAt);
          lastAck.set(stamp.step, nowMs());
        } else record(steps, stamp.step, stamp.sentAt);
        return;
      }
    }
    if (attr(stanza, "type") === "error" && errors.length < 5) errors.push(stanza.slice(0, 300));
    listeners.get(index)?.(stanza);
  };

function onFrame(index: number, frame: string) {
  framesIn++;
  if (frame.startsWith('{"type":"message"')) {
    const stamp = stampOf(frame);
    if (stamp) record(steps, stamp.step, stamp.sentAt);
    return;
  }
  if (frame.startsWith('{"type":"ack"')) {
    const stamp = ackStampOf(frame);
    if (stamp) {
      record(acks, stamp.step, stamp.sentAt);
      lastAck.set(stamp.step, nowMs());
    }
  } else if (frame.startsWith('{"type":"error"') && errors.length < 5) {
    errors.push(frame.slice(0, 300));
  }
  listeners.get(index)?.(frame);
}

/** Opens one connection and resolves once its `ready` frame named its rooms. */
async function open(kind: Kind, base: string, spec: ConnSpec, index: number): Promise<Conn> {
  if (kind === "xmpp") {
    if (!spec.xmpp) throw new Error("an XMPP connection needs its account");
    const url = `${base.replace(/^http/, "ws")}/ws`;
    const login = spec.xmpp;
    const conn = await openXmpp(url, login, spec.slugs, onXmppPayload(index, login.user));
    xmppRetried += conn.retried;
    return {
      send: conn.send,
      close: conn.close,
      rooms: conn.rooms,
      say: (room, clientId, text) => conn.send(groupchat(room, clientId, text)),
    };
  }
  const rooms = new Map<string, string>();
  let fail: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    fail = reject;
    const timer = setTimeout(() => reject(new Error("no ready within 30 s")), 30_000);
    listeners.set(index, (frame) => {
      if (!frame.startsWith('{"type":"ready"')) return;
      const parsed = JSON.parse(frame) as { rooms: { id: string; slug: string }[] };
      for (const room of parsed.rooms) rooms.set(room.slug, room.id);
      listeners.delete(index);
      clearTimeout(timer);
      resolve();
    });
  });
  const sink = { text: (frame: string) => onFrame(index, frame), bytes: onPayload(index) };
  const transport = await connect(kind, base, spec, sink, fail).catch((error: unknown) => {
    fail(error instanceof Error ? error : new Error(String(error)));
    return undefined;
  });
  await ready;
  if (!transport) throw new Error("connection failed");
  return { ...transport, rooms, say: jsonSay(transport.send) };
}

/** Sends `perSecond` per sender for `seconds`, spread evenly and round-robin. */
async function run(req: Extract<Request, { op: "run" }>): Promise<number> {
  const senders = req.senders.map(({ conn, slug }) => {
    const target = conns[conn];
    const roomId = target?.rooms.get(slug);
    if (!target || !roomId) throw new Error(`connection ${conn} is not in ${slug}`);
    return { target, roomId };
  });
  const pad = padding(req.textChars);
  const total = senders.length * req.perSecond;
  const start = nowMs();
  let sent = 0;
  sending = { step: req.step, abortMs: req.abortMs, aborted: false };
  while (senders.length > 0 && !sending.aborted) {
    const elapsed = nowMs() - start;
    if (elapsed >= req.seconds * 1000) break;
    const due = Math.floor((elapsed * total) / 1000);
    for (; sent < due; sent++) {
      const sender = senders[sent % senders.length];
      if (!sender) break;
      const at = nowMs();
      sender.target.say(sender.roomId, clientIdFor(req.step, at, sent), textFor(req.step, at, pad));
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return sent;
}

/** A connection in `slug`, and a way to hear its frames (for the one-socket ops). */
function target(index: number, slug: string): OneSocket {
  const conn = conns[index];
  const roomId = conn?.rooms.get(slug);
  if (!conn || !roomId) throw new Error(`connection ${index} is not in ${slug}`);
  return {
    send: (frame) => conn.send(frame),
    roomId,
    listen: (hear) => {
      if (hear) listeners.set(index, hear);
      else listeners.delete(index);
    },
  };
}

async function handle(req: Request): Promise<Reply> {
  switch (req.op) {
    case "open": {
      const started = nowMs();
      const first = conns.length;
      const failures: string[] = [];
      for (let i = 0; i < req.conns.length; i += req.concurrency) {
        const batch = req.conns.slice(i, i + req.concurrency);
        const opened = await Promise.allSettled(
          batch.map((spec, j) => open(req.kind, req.base, spec, first + i + j)),
        );
        opened.forEach((result, j) => {
          // A failed connection keeps its slot, so indexes match the harness's list.
          if (result.status === "fulfilled") conns[first + i + j] = result.value;
          else {
            conns[first + i + j] = { send() {}, close() {}, say() {}, rooms: new Map() };
            failures.push(String(result.reason));
          }
        });
      }
      const opened = req.conns.length - failures.length;
      const retried = xmppRetried;
      xmppRetried = 0;
      return { op: "open", opened, failures: failures.slice(0, 5), ms: nowMs() - started, retried };
    }
    case "run": {
      steps.delete(req.step);
      acks.delete(req.step);
      starts.set(req.step, nowMs());
      const sent = await run(req);
      return { op: "run", sent, aborted: sending.aborted };
    }
    case "frames":
      return { op: "frames", count: framesIn };
    case "count":
      return {
        op: "count",
        delivered: steps.get(req.step)?.n ?? 0,
        acked: acks.get(req.step)?.n ?? 0,
      };
    case "collect": {
      const start = starts.get(req.step) ?? nowMs();
      const reply: Reply = {
        op: "collect",
        latency: (steps.get(req.step) ?? new Histogram()).toJSON(),
        ack: (acks.get(req.step) ?? new Histogram()).toJSON(),
        ackSpanMs: (lastAck.get(req.step) ?? start) - start,
        errors: errors.splice(0),
      };
      for (const table of [steps, acks, lastAck, starts]) table.delete(req.step);
      return reply;
    }
    case "blast": {
      acks.delete(req.step);
      const ms = await blast(target(req.conn, req.slug), req);
      const acked = acks.get(req.step) ?? new Histogram();
      return { op: "blast", ms, ack: acked.toJSON() };
    }
    case "replay":
      return { op: "replay", ...(await replay(target(req.conn, req.slug), req)) };
    case "close":
      for (const conn of conns.splice(0)) conn.close();
      return { op: "close" };
  }
}

process.on("message", (req: Request & { id: number }) => {
  handle(req).then(
    (reply) => process.send?.({ ...reply, id: req.id }),
    (error: unknown) => process.send?.({ op: "error", message: String(error), id: req.id }),
  );
});
