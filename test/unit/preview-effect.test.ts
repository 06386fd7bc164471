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
  it("passes each preview effect to the queue, in order", async () => {
    const taken: PreviewEffect[] = [];
    const runner = runnerWith({ take: (e) => taken.push(e), idle: async () => {} });
    const second: PreviewEffect = { ...effect, messageId: "m2", url: "https://b.example/" };
    await runner.run(peer, [effect, second]);
    expect(taken).toEqual([effect, second]);
  });

  it("does nothing with one when there is no queue", async () => {
    await expect(runnerWith().one(peer, effect)).resolves.toBeUndefined();
  });
});
