import { describe, expect, it } from "vitest";
import { createLoopLag } from "../../src/server/ws/loop-lag.server";

describe("createLoopLag", () => {
  it("reads how long its timer has not run, past its period, at any moment", () => {
    let clock = 1_000;
    const lag = createLoopLag(() => clock);
    expect(lag.behindMs()).toBe(0);
    clock += 40;
    expect(lag.behindMs()).toBe(0);
    // A loop kept busy 2 s (the timer could not run) reads 2 s behind, less the period.
    clock += 2_000;
    expect(lag.behindMs()).toBe(1_990);
    lag.stop();
  });
});
