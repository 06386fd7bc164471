// The effect runner hands preview effects to the preview queue, without
// waiting on it, and a runner without one ignores them (issue 12).
import type { Peer } from "crossws";
import { describe, expect, it } from "vitest";
import type { PreviewEffect } from "../../src/core/actions/shared";
import { Hub } from "../../src/core/hub";
import { UserSockets } from "../../src/core/presence";
import type { Storage } from "../../src/ports";
import { createMetrics } from "../../src/server/metrics.server";
import type { PreviewJobs } from "../../src/server/previews/preview-jobs.server";
import { createLocalRelay } from "../../src/server/relay/local.server";
import { createEffectRunner } from "../../src/server/ws/effects.server";

const runnerWith = (previews?: PreviewJobs) =>
  createEffectRunner({
    hub: new Hub<Peer>(() => {}, 1_000),
    online: new UserSockets<Peer>(),
    storage: {} as Storage,
    metrics: createMetrics(),
    relay: createLocalRelay(),
    onlineAmong: async () => new Set(),
    ...(previews && { previews }),
  });

const effect: PreviewEffect = {
  kind: "preview",
  op: "make",
  roomId: "r",
  messageId: "m",
  authorId: "u",
  url: "https://a.example/",
};
const peer = { send() {} } as unknown as Peer;

describe("effect runner: previews", () => {
  it("passes a preview effect to the queue, and a discard too", async () => {
    const taken: PreviewEffect[] = [];
    const runner = runnerWith({ take: (e) => taken.push(e), idle: async () => {} });
    const discard: PreviewEffect = { kind: "preview", op: "discard", blobKeys: ["previews/x"] };
    await runner.run(peer, [effect, discard]);
    expect(taken).toEqual([effect, discard]);
  });

  it("does nothing with one when there is no queue", async () => {
    await expect(runnerWith().one(peer, effect)).resolves.toBeUndefined();
  });
});
