import type { Peer } from "crossws";
import { describe, expect, it } from "vitest";
import { Hub } from "../../src/core/hub";
import { joinedEffects } from "../../src/core/joined";
import { UserSockets } from "../../src/core/presence";
import type { Storage } from "../../src/ports";
import type { RoomSummary } from "../../src/protocol/frames";
import { createMetrics } from "../../src/server/metrics.server";
import { createLocalRelay, createLocalRelayGroup } from "../../src/server/relay/local.server";
import { decodeRelay, type RelayMessage } from "../../src/server/relay/messages.server";
import { createEffectRunner } from "../../src/server/ws/effects.server";

const summary = (id: string): RoomSummary => ({
  id,
  slug: id,
  name: id,
  kind: "public",
  lastSeq: 0,
  lastReadSeq: 0,
  mentioned: false,
  isDefault: false,
});

function fakePeer() {
  const sent: string[] = [];
  const peer = {
    bufferedAmount: 0,
    websocket: { readyState: 1 },
    send: (d: string) => sent.push(d),
  };
  return { peer: peer as unknown as Peer, sent };
}

async function setup() {
  const hub = new Hub<Peer>(() => {}, 1_000_000);
  const online = new UserSockets<Peer>();
  const storage = {
    rooms: {
      summaryOf: async (roomId: string) => summary(roomId),
      members: async () => [{ id: "u", name: "Una" }],
      // The runner reads member lists a page at a time (issue 16).
      membersPage: async () => [{ id: "u", name: "Una" }],
      memberCount: async () => 1,
    },
  } as unknown as Storage;
  const group = createLocalRelayGroup();
  const other = createLocalRelay({ group });
  const relayed: RelayMessage[] = [];
  await other.subscribe((key, data) => {
    const decoded = decodeRelay(key, data);
    if (decoded.ok) relayed.push(decoded.message);
  });
  const runner = createEffectRunner({
    hub,
    online,
    storage,
    metrics: createMetrics(),
    relay: createLocalRelay({ group }),
    onlineAmong: async (ids) => new Set(ids),
  });
  return { hub, online, storage, runner, relayed };
}

describe("a join through a server function", () => {
  it("applies the same effects as an invite: attach, room_added, members", async () => {
    const { hub, online, storage, runner, relayed } = await setup();
    const { peer, sent } = fakePeer();
    online.add("u", peer);
    const effects = await joinedEffects(storage.rooms, "r1", ["u"]);
    expect(effects.map((e) => e.kind)).toEqual(["attach", "user", "members"]);
    await runner.apply(effects);
    const types = sent.map((data) => JSON.parse(data).type);
    expect(types).toEqual(["room_added", "members"]);
    // The socket is in the room's topic now.
    expect(hub.publish("r1", '{"type":"typing"}')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Other instances hear it as attach, user and room messages (no "joined").
    expect(relayed.map((m) => m.type)).toEqual(["attach", "user", "room"]);
  });

  it("refuses an effect that needs a socket", async () => {
    const { runner } = await setup();
    await expect(runner.apply([{ kind: "reply", frame: { type: "pong" } }])).rejects.toThrow(
      /needs a socket/,
    );
  });
});
