import { describe, expect, it, vi } from "vitest";
import { ActionRefused, ChatClient, SEND_WINDOW } from "../../src/client/chat-client";
import { memoryOutbox } from "../../src/client/outbox";
import { RoomLog } from "../../src/client/room-log";
import type { ChatSocket } from "../../src/client/socket";
import type { ClientFrame, ServerFrame } from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

/** A socket double: records sent frames, lets the test deliver server frames. */
function fakeSocket() {
  let onFrame: (frame: ServerFrame) => void = () => {};
  const sent: ClientFrame[] = [];
  const socket = {
    status: "connected",
    isOpen: true,
    start() {},
    stop() {},
    send(frame: ClientFrame) {
      if (!socket.isOpen) return false;
      sent.push(frame);
      return true;
    },
    onFrame(listener: (frame: ServerFrame) => void) {
      onFrame = listener;
      return () => {};
    },
    onStatus: () => () => {},
  };
  return { socket, sent, deliver: (frame: ServerFrame) => onFrame(frame) };
}

const me = { id: "u-me", name: "Me", handle: "me" };
const summary = {
  id: "r",
  slug: "r",
  name: "r",
  kind: "public" as const,
  lastSeq: 3,
  lastReadSeq: 1,
  mentioned: false,
  isDefault: false,
};
const ready: ServerFrame = { type: "ready", v: 2, user: me, rooms: [summary] };

function setup(outbox = memoryOutbox()) {
  const fake = fakeSocket();
  const client = new ChatClient(fake.socket as unknown as ChatSocket, outbox);
  client.start();
  return { ...fake, client };
}

describe("RoomLog", () => {
  it("orders by seq, holds each seq once, and tracks the contiguous end", () => {
    const log = new RoomLog();
    log.seed([wireMessage(5), wireMessage(6)]);
    expect(log.base).toBe(4);
    expect(log.contiguousTo).toBe(6);
    expect(log.revealsGap(8)).toBe(true);
    log.merge([wireMessage(8), wireMessage(6), wireMessage(7)]);
    expect(log.list().map((m) => m.seq)).toEqual([5, 6, 7, 8]);
    expect(log.contiguousTo).toBe(8);
  });

  it("replaces a message only with a newer revision", () => {
    const log = new RoomLog();
    log.seed([wireMessage(1, { text: "a", rev: 2 })]);
    log.merge([wireMessage(1, { text: "stale", rev: 1 })]);
    expect(log.list()[0]?.text).toBe("a");
    log.merge([wireMessage(1, { text: "new", rev: 3 })]);
    expect(log.list()[0]?.text).toBe("new");
    expect(log.lastRev).toBe(3);
  });

  it("starts an empty room at the room's last seq", () => {
    const log = new RoomLog();
    log.seed([], 0);
    expect(log.revealsGap(1)).toBe(false);
  });
});

describe("ChatClient", () => {
  it("resumes every open room from its last seq and revision on ready", () => {
    const { client, sent, deliver } = setup();
    client.open("r", [wireMessage(1), wireMessage(2, { rev: 4 })]);
    deliver(ready);
    expect(sent).toContainEqual(
      expect.objectContaining({ type: "subscribe", roomId: "r", afterSeq: 2, afterRev: 4 }),
    );
  });

  it("keeps sends in the outbox until acked, resending them in order after a reconnect", () => {
    const outbox = memoryOutbox();
    const { client, sent, deliver, socket } = setup(outbox);
    deliver(ready);
    socket.isOpen = false;
    const first = client.send("r", "one").clientId;
    const second = client.send("r", "two").clientId;
    expect(client.roomView("r").pending.map((p) => p.text)).toEqual(["one", "two"]);
    expect(outbox.load()).toHaveLength(2);
    socket.isOpen = true;
    deliver(ready);
    const resent = sent.filter((f) => f.type === "send");
    expect(resent.map((f) => f.type === "send" && f.clientId)).toEqual([first, second]);
    deliver({
      type: "ack",
      clientId: first,
      message: wireMessage(4, { roomId: "r", text: "one" }),
    });
    expect(client.roomView("r").pending.map((p) => p.text)).toEqual(["two"]);
    expect(outbox.load().map((p) => p.text)).toEqual(["two"]);
  });

  it("restores the outbox of a previous page load", () => {
    const outbox = memoryOutbox();
    outbox.save([{ clientId: "old", roomId: "r", text: "from before", failed: null }]);
    const { sent, deliver } = setup(outbox);
    deliver(ready);
    expect(sent).toContainEqual(
      expect.objectContaining({ type: "send", roomId: "r", clientId: "old", text: "from before" }),
    );
  });

  it("marks a send failed after a permanent error and retries on request", () => {
    const { client, sent, deliver } = setup();
    deliver(ready);
    const { clientId: id } = client.send("r", "x");
    deliver({ type: "error", code: "forbidden", message: "nope", clientId: id });
    expect(client.roomView("r").pending[0]?.failed).toBe("nope");
    client.retry(id);
    expect(client.roomView("r").pending[0]?.failed).toBeNull();
    expect(sent.filter((f) => f.type === "send")).toHaveLength(2);
  });

  it("fetches the hole when a live message skips a seq, once", () => {
    const { client, sent, deliver } = setup();
    client.open("r", [wireMessage(1)]);
    deliver(ready);
    deliver({ type: "history", roomId: "r", messages: [], done: true });
    deliver({ type: "message", message: wireMessage(4) });
    deliver({ type: "message", message: wireMessage(5) });
    const fetches = sent.filter((f) => f.type === "fetch");
    expect(fetches).toEqual([{ type: "fetch", roomId: "r", afterSeq: 1, beforeSeq: 4 }]);
    deliver({
      type: "history",
      roomId: "r",
      messages: [wireMessage(2), wireMessage(3)],
      done: true,
    });
    expect(client.roomView("r").messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("fills a hole larger than one fetch by fetching again from where each part ended", () => {
    const { client, sent, deliver } = setup();
    client.open("r", [wireMessage(1)]);
    deliver(ready);
    deliver({ type: "history", roomId: "r", messages: [], done: true });
    deliver({ type: "message", message: wireMessage(7) });
    const part = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => wireMessage(from + i));
    deliver({ type: "history", roomId: "r", messages: part(2, 3), done: false });
    deliver({ type: "history", roomId: "r", messages: [], done: true, more: true });
    deliver({ type: "history", roomId: "r", messages: part(4, 5), done: true, more: true });
    deliver({ type: "history", roomId: "r", messages: part(6, 6), done: true });
    expect(sent.filter((f) => f.type === "fetch")).toEqual([
      { type: "fetch", roomId: "r", afterSeq: 1, beforeSeq: 7 },
      { type: "fetch", roomId: "r", afterSeq: 3, beforeSeq: 7 },
      { type: "fetch", roomId: "r", afterSeq: 5, beforeSeq: 7 },
    ]);
    expect(client.roomView("r").messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The hole is filled: a later gap is fetched again.
    deliver({ type: "message", message: wireMessage(9) });
    expect(sent.filter((f) => f.type === "fetch").at(-1)).toEqual({
      type: "fetch",
      roomId: "r",
      afterSeq: 7,
      beforeSeq: 9,
    });
  });

  it("stops paging a fetch that made no progress (no loop)", () => {
    const { client, sent, deliver } = setup();
    client.open("r", [wireMessage(1)]);
    deliver(ready);
    deliver({ type: "history", roomId: "r", messages: [], done: true });
    deliver({ type: "message", message: wireMessage(5) });
    deliver({ type: "history", roomId: "r", messages: [], done: true, more: true });
    expect(sent.filter((f) => f.type === "fetch")).toHaveLength(1);
    // Not stuck "fetching": the next gap is fetched.
    deliver({ type: "message", message: wireMessage(8) });
    expect(sent.filter((f) => f.type === "fetch")).toHaveLength(2);
  });

  it("subscribes again, later, to a room whose resume was refused for the rate", async () => {
    vi.useFakeTimers();
    try {
      const { client, sent, deliver } = setup();
      const strays: string[] = [];
      client.onRefusal((refusal) => strays.push(refusal.code));
      client.open("r", [wireMessage(1)]);
      client.open("s", [wireMessage(1, { roomId: "s" })]);
      deliver(ready);
      const subscribes = () => sent.filter((f) => f.type === "subscribe");
      const [r, s] = subscribes();
      deliver({ type: "subscribed", roomId: "r", lastSeq: 1, lastRev: 0, members: [] });
      deliver({ type: "ok", ref: r?.ref ?? "" });
      const refused = { code: "rate_limited", message: "slow down", retryAfterMs: 400 } as const;
      deliver({ type: "error", ...refused, ref: s?.ref });
      // Not shown to the user: the client handles it.
      expect(strays).toEqual([]);
      await vi.advanceTimersByTimeAsync(399);
      expect(subscribes().map((f) => f.roomId)).toEqual(["r", "s"]);
      await vi.advanceTimersByTimeAsync(1);
      expect(subscribes().map((f) => f.roomId)).toEqual(["r", "s", "s"]);
      // A rate limit that answers no action of ours is shown.
      deliver({ type: "error", ...refused });
      expect(strays).toEqual(["rate_limited"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not treat messages arriving during a replay as a gap", () => {
    const { client, sent, deliver } = setup();
    client.open("r", [wireMessage(1)]);
    deliver(ready);
    deliver({ type: "message", message: wireMessage(9) });
    expect(sent.some((f) => f.type === "fetch")).toBe(false);
  });

  it("counts unread live and agrees with read markers from other devices", () => {
    const { client, deliver } = setup();
    deliver(ready);
    deliver({
      type: "message",
      message: wireMessage(4, { roomId: "r", author: { id: "x", name: "X" } }),
    });
    expect(client.roomSummary("r")).toMatchObject({ lastSeq: 4, lastReadSeq: 1 });
    deliver({ type: "read", roomId: "r", seq: 4 });
    expect(client.roomSummary("r")).toMatchObject({ lastSeq: 4, lastReadSeq: 4 });
    deliver({ type: "read", roomId: "r", seq: 2 });
    expect(client.roomSummary("r")?.lastReadSeq).toBe(4);
  });

  it("flags a live mention of me", () => {
    const { client, deliver } = setup();
    deliver(ready);
    deliver({
      type: "message",
      message: wireMessage(4, { roomId: "r", text: "hey @me", author: { id: "x", name: "X" } }),
    });
    expect(client.roomSummary("r")?.mentioned).toBe(true);
  });

  it("shows typing for about five seconds and never sends typing more than once per throttle window", () => {
    let now = 1_000;
    const fake = fakeSocket();
    const client = new ChatClient(fake.socket as unknown as ChatSocket, memoryOutbox(), () => now);
    client.start();
    client.open("r", []);
    fake.deliver(ready);
    fake.deliver({ type: "typing", roomId: "r", user: { id: "x", name: "X" } });
    expect(client.roomView("r").typing).toEqual([{ id: "x", name: "X" }]);
    now += 5_100;
    fake.deliver({ type: "members", roomId: "r", members: [] });
    expect(client.roomView("r").typing).toEqual([]);
    client.typing("r");
    client.typing("r");
    expect(fake.sent.filter((f) => f.type === "typing")).toHaveLength(1);
  });

  it("a presence frame without a room updates the user in every open room that lists them", () => {
    const { client, deliver } = setup();
    deliver(ready);
    client.open("r", []);
    client.open("s", []);
    client.open("t", []);
    const x = { id: "x", name: "X" };
    const y = { id: "y", name: "Y" };
    deliver({
      type: "subscribed",
      roomId: "r",
      lastSeq: 0,
      lastRev: 0,
      members: [
        { ...x, online: false },
        { ...y, online: true },
      ],
    });
    deliver({
      type: "subscribed",
      roomId: "s",
      lastSeq: 0,
      lastRev: 0,
      members: [{ ...x, online: false }],
    });
    deliver({
      type: "subscribed",
      roomId: "t",
      lastSeq: 0,
      lastRev: 0,
      members: [{ ...y, online: true }],
    });
    deliver({ type: "presence", user: x, online: true });
    expect(client.roomView("r").members).toEqual([
      { ...x, online: true },
      { ...y, online: true },
    ]);
    expect(client.roomView("s").members).toEqual([{ ...x, online: true }]);
    // Not listed in t: a room-less presence does not make anyone a member.
    expect(client.roomView("t").members).toEqual([{ ...y, online: true }]);
    deliver({ type: "presence", user: x, online: false });
    expect(client.roomView("s").members).toEqual([{ ...x, online: false }]);
    // A presence in a room still adds a member the list did not have.
    deliver({ type: "presence", roomId: "t", user: x, online: true });
    expect(client.roomView("t").members).toEqual([
      { ...y, online: true },
      { ...x, online: true },
    ]);
  });

  it("a presence_batch updates every open room that lists each user and adds them where shared", () => {
    const { client, deliver } = setup();
    deliver(ready);
    client.open("r", []);
    client.open("s", []);
    const x = { id: "x", name: "X" };
    const y = { id: "y", name: "Y" };
    const z = { id: "z", name: "Z" };
    const members = (roomId: string, list: { id: string; name: string; online: boolean }[]) =>
      deliver({ type: "subscribed", roomId, lastSeq: 0, lastRev: 0, members: list });
    members("r", [
      { ...x, online: false },
      { ...y, online: true },
    ]);
    members("s", [{ ...y, online: true }]);
    deliver({
      type: "presence_batch",
      changes: [
        { user: x, online: true, rooms: ["r"] },
        { user: y, online: false, rooms: ["r", "s"] },
        // Shared in s: a member the list did not have yet.
        { user: z, online: true, rooms: ["s"] },
      ],
    });
    expect(client.roomView("r").members).toEqual([
      { ...x, online: true },
      { ...y, online: false },
    ]);
    expect(client.roomView("s").members).toEqual([
      { ...y, online: false },
      { ...z, online: true },
    ]);
    // Going offline never adds anyone: it is news only where they are listed.
    deliver({ type: "presence_batch", changes: [{ user: x, online: false, rooms: ["s"] }] });
    expect(client.roomView("s").members.map((m) => m.id)).toEqual(["y", "z"]);
    expect(client.roomView("r").members[0]).toEqual({ ...x, online: false });
  });

  it("pages a large room's member list: first page and count, then the pages asked for", async () => {
    const { client, deliver, sent } = setup();
    deliver(ready);
    client.open("r", []);
    const member = (i: number) => ({ id: `m${i}`, name: `M${i}`, online: i % 2 === 0 });
    deliver({
      type: "subscribed",
      roomId: "r",
      lastSeq: 0,
      lastRev: 0,
      members: [member(1), member(2)],
      memberCount: 1_500,
      membersMore: true,
    });
    expect(client.roomView("r")).toMatchObject({ memberCount: 1_500, moreMembers: true });
    const asked = client.loadMoreMembers("r");
    // One request at a time: a second call while it is on its way sends nothing.
    void client.loadMoreMembers("r");
    const requests = sent.filter((f) => f.type === "members");
    expect(requests).toEqual([
      { type: "members", roomId: "r", afterId: "m2", ref: expect.any(String) },
    ]);
    deliver({
      type: "members",
      roomId: "r",
      // m2 again (a presence add meanwhile, say) is kept once.
      members: [member(2), member(3)],
      page: { more: false },
    });
    deliver({ type: "ok", ref: requests[0]?.ref as string });
    await asked;
    expect(client.roomView("r").members.map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    expect(client.roomView("r").moreMembers).toBe(false);
    // Nothing more to ask for.
    await client.loadMoreMembers("r");
    expect(sent.filter((f) => f.type === "members")).toHaveLength(1);
    // A whole list (after a join) replaces what was paged.
    deliver({ type: "members", roomId: "r", members: [member(9)] });
    expect(client.roomView("r")).toMatchObject({ memberCount: 1, moreMembers: false });
  });

  it("a refused members request rejects and lets the panel ask again", async () => {
    const { client, deliver, sent } = setup();
    deliver(ready);
    client.open("r", []);
    deliver({
      type: "subscribed",
      roomId: "r",
      lastSeq: 0,
      lastRev: 0,
      members: [{ id: "a", name: "A", online: true }],
      memberCount: 2_000,
      membersMore: true,
    });
    const asked = client.loadMoreMembers("r");
    const ref = sent.filter((f) => f.type === "members").at(-1)?.ref as string;
    deliver({ type: "error", code: "forbidden", message: "not a member", ref });
    await expect(asked).rejects.toMatchObject({ code: "forbidden" });
    void client.loadMoreMembers("r");
    expect(sent.filter((f) => f.type === "members")).toHaveLength(2);
  });

  it("tells its refusal listeners about a refusal that answers none of its actions", () => {
    const { client, deliver } = setup();
    deliver(ready);
    const heard: unknown[] = [];
    const stop = client.onRefusal((refusal) => heard.push(refusal));
    deliver({ type: "error", code: "rate_limited", message: "slow down", retryAfterMs: 500 });
    expect(heard).toEqual([{ code: "rate_limited", message: "slow down" }]);
    stop();
    deliver({ type: "error", code: "forbidden", message: "no" });
    expect(heard).toHaveLength(1);
  });

  it("returns the same room view until something changes", () => {
    const { client, deliver } = setup();
    client.open("r", [wireMessage(1)]);
    const first = client.roomView("r");
    expect(client.roomView("r")).toBe(first);
    deliver({ type: "message", message: wireMessage(2) });
    expect(client.roomView("r")).not.toBe(first);
  });
});

describe("ChatClient answers (protocol 2)", () => {
  /** A fake socket whose status listeners hear a close. */
  function closable() {
    const fake = fakeSocket();
    const statusListeners = new Set<(status: string) => void>();
    const onStatus = (listener: (status: string) => void) => {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    };
    Object.assign(fake.socket, { onStatus });
    const client = new ChatClient(fake.socket as unknown as ChatSocket, memoryOutbox());
    client.start();
    const close = () => {
      fake.socket.isOpen = false;
      fake.socket.status = "reconnecting";
      for (const listener of statusListeners) listener("reconnecting");
    };
    const last = () => fake.sent.at(-1) as ClientFrame & { ref: string };
    return { ...fake, client, close, last };
  }

  it("keeps an ack's unresolved handles for the room; an invite by handle takes one away, a refusal keeps it", async () => {
    const { client, deliver, last, sent } = closable();
    deliver(ready);
    client.open("r", []);
    const sending = client.send("r", "hi @carol and @dave");
    const clientId = (sent.find((f) => f.type === "send") as { clientId: string }).clientId;
    deliver({
      type: "ack",
      clientId,
      message: wireMessage(1, { roomId: "r", text: "hi @carol and @dave" }),
      unresolved: ["carol", "dave"],
    });
    await sending;
    expect(client.roomView("r").unresolved).toEqual(["carol", "dave"]);
    const refused = client.inviteByHandle("r", "dave");
    expect(last()).toMatchObject({ type: "invite", roomId: "r", userHandle: "dave" });
    deliver({
      type: "error",
      code: "not_found",
      message: "nobody has the handle @dave",
      ref: last().ref,
    });
    await expect(refused).rejects.toMatchObject({ code: "not_found" });
    expect(client.roomView("r").unresolved).toEqual(["carol", "dave"]);
    const invited = client.inviteByHandle("r", "carol");
    deliver({ type: "ok", ref: last().ref });
    await invited;
    expect(client.roomView("r").unresolved).toEqual(["dave"]);
    client.dismissUnresolved("r");
    expect(client.roomView("r").unresolved).toEqual([]);
  });

  it("settles each action on the answer that carries its ref", async () => {
    const { client, deliver, last } = closable();
    deliver(ready);
    const edited = client.edit("r", "m1", "new text");
    const editRef = last().ref;
    const invited = client.invite("r", "u-ann");
    const inviteRef = last().ref;
    const reacted = client.react("r", "m1", "👍");
    expect(new Set([editRef, inviteRef, last().ref]).size).toBe(3);
    deliver({ type: "ok", ref: editRef });
    await expect(edited).resolves.toBeUndefined();
    deliver({ type: "error", code: "forbidden", message: "not yours", ref: inviteRef });
    await expect(invited).rejects.toMatchObject({ code: "forbidden", message: "not yours" });
    deliver({ type: "ok", ref: last().ref });
    await expect(reacted).resolves.toBeUndefined();
    for (const act of [() => client.remove("r", "m1"), () => client.leave("r")]) {
      const pending = act();
      deliver({ type: "error", code: "not_found", message: "gone", ref: last().ref });
      await expect(pending).rejects.toBeInstanceOf(ActionRefused);
    }
  });

  it("resolves a send on its ack and rejects it on a permanent refusal", async () => {
    const { client, deliver, last } = closable();
    deliver(ready);
    const stored = client.send("r", "hello");
    const frame = last();
    expect(frame).toMatchObject({ type: "send", clientId: stored.clientId });
    const message = wireMessage(4, { roomId: "r", text: "hello" });
    deliver({ type: "ack", clientId: stored.clientId, message, ref: frame.ref });
    await expect(stored).resolves.toEqual(message);
    const refused = client.send("r", "nope");
    deliver({
      type: "error",
      code: "forbidden",
      message: "not a member",
      clientId: refused.clientId,
      ref: last().ref,
    });
    await expect(refused).rejects.toMatchObject({ code: "forbidden" });
  });

  it("rejects unanswered actions when the socket closes, but keeps sends for the next connection", async () => {
    const { client, deliver, close, sent, socket } = closable();
    deliver(ready);
    const edited = client.edit("r", "m1", "x");
    const stored = client.send("r", "survives");
    let settled = false;
    stored.then(
      () => (settled = true),
      () => (settled = true),
    );
    close();
    await expect(edited).rejects.toMatchObject({ code: "disconnected" });
    // Not connected now: an action is refused at once.
    await expect(client.leave("r")).rejects.toMatchObject({ code: "disconnected" });
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(client.pending.map((p) => p.text)).toEqual(["survives"]);
    // The next connection sends it again, and its ack resolves it.
    socket.isOpen = true;
    deliver(ready);
    const resent = sent.filter((f) => f.type === "send").at(-1);
    expect(resent).toMatchObject({ clientId: stored.clientId });
    const message = wireMessage(5, { roomId: "r", text: "survives" });
    deliver({ type: "ack", clientId: stored.clientId, message });
    await expect(stored).resolves.toEqual(message);
  });

  it("keeps a window of sends in flight, each naming the one before it", () => {
    const { client, deliver, sent } = closable();
    deliver(ready);
    const ids = Array.from(
      { length: SEND_WINDOW + 2 },
      (_, i) => client.send("r", `m${i}`).clientId,
    );
    const sends = () => sent.filter((f) => f.type === "send");
    expect(sends().map((f) => f.type === "send" && f.clientId)).toEqual(ids.slice(0, SEND_WINDOW));
    expect(sends().map((f) => f.type === "send" && f.after)).toEqual([
      undefined,
      ...ids.slice(0, SEND_WINDOW - 1),
    ]);
    deliver({ type: "ack", clientId: ids[0] ?? "", message: wireMessage(4, { roomId: "r" }) });
    expect(sends().at(-1)).toMatchObject({
      clientId: ids[SEND_WINDOW],
      after: ids[SEND_WINDOW - 1],
    });
  });

  it("after a retryable refusal, holds the sends behind it and then sends all again in order", () => {
    vi.useFakeTimers();
    try {
      const { client, deliver, sent } = closable();
      deliver(ready);
      const ids = Array.from({ length: 3 }, (_, i) => client.send("r", `m${i}`).clientId);
      const sends = () =>
        sent.filter((f) => f.type === "send") as (ClientFrame & { ref: string })[];
      const [a, b, c] = sends();
      deliver({ type: "ack", clientId: ids[0] ?? "", message: wireMessage(4), ref: a?.ref });
      const limited = { code: "rate_limited", message: "slow down", retryAfterMs: 300 } as const;
      deliver({ type: "error", ...limited, clientId: ids[1], ref: b?.ref });
      // The one behind it, refused by the server for order, changes nothing.
      deliver({ type: "error", ...limited, code: "out_of_order", clientId: ids[2], ref: c?.ref });
      expect(sends()).toHaveLength(3);
      vi.advanceTimersByTime(299);
      expect(sends()).toHaveLength(3);
      vi.advanceTimersByTime(1);
      expect(sends().slice(3)).toMatchObject([
        { clientId: ids[1] },
        { clientId: ids[2], after: ids[1] },
      ]);
      expect(client.pending.map((p) => p.clientId)).toEqual(ids.slice(1));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("ChatClient send promises", () => {
  it("a retry of a send still in flight settles the first promise too", async () => {
    const { client, deliver } = setup();
    deliver(ready);
    const first = client.send("r", "once");
    const again = client.retry(first.clientId);
    const message = wireMessage(4, { roomId: "r", text: "once" });
    deliver({ type: "ack", clientId: first.clientId, message });
    await expect(first).resolves.toEqual(message);
    await expect(again).resolves.toEqual(message);
  });
});

describe("ChatClient: a profile change seen in a member list", () => {
  it("takes the user's own new name and handle from any member list, and ignores others'", () => {
    const { client, deliver } = setup();
    deliver(ready);
    const other = { id: "u-o", name: "Other", handle: "o", online: true };
    deliver({ type: "members", roomId: "r", members: [{ ...me, online: true }, other] });
    expect(client.user).toEqual(me);
    deliver({
      type: "members",
      roomId: "not-tracked",
      members: [{ id: me.id, name: "Me Renamed", handle: "me.new", online: true }, other],
    });
    expect(client.user).toEqual({ id: me.id, name: "Me Renamed", handle: "me.new" });
    deliver({ type: "members", roomId: "r", members: [{ ...other, name: "Other 2" }] });
    expect(client.user).toEqual({ id: me.id, name: "Me Renamed", handle: "me.new" });
  });
});
