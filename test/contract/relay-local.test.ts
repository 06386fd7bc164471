import { describe, expect, it } from "vitest";
import { createLocalRelay, createLocalRelayGroup } from "../../src/server/relay/local.server";
import { describeRelayContract } from "./relay.contract";

describeRelayContract("local", async () => {
  const group = createLocalRelayGroup();
  return {
    open: async () => createLocalRelay({ group, onError: () => {} }),
    injectRaw: async (payload) => group.broadcast(payload),
  };
});

describe("local relay", () => {
  it("alone, delivers to no one (a single instance has no peers)", async () => {
    const one = createLocalRelay();
    const two = createLocalRelay();
    const heard: string[] = [];
    await two.subscribe((_room, data) => heard.push(data));
    await one.publish("r", "x");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toEqual([]);
    await Promise.all([one.close(), two.close()]);
  });
});
