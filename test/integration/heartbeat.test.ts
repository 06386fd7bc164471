// Issue 18, F-5: liveness comes from pongs. A client that keeps sending
// frames but never reads (so never answers a ping) is cut by the heartbeat.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinAs } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { metric, pauseReading, until } from "../helpers/slow-reader";

describe("liveness comes from pongs", () => {
  let fast: RunningServer;
  beforeAll(async () => {
    fast = await startServer({ env: { PARLEY_HEARTBEAT_SECONDS: "1" } });
  });
  afterAll(() => fast?.stop());

  it("terminates a paused reader that keeps sending frames but never pongs", {
    timeout: 60_000,
  }, async () => {
    // A ws client answers pings on its own (as browsers do): this one keeps up.
    const reader = await joinAs(fast.url);
    const paused = await joinAs(fast.url);
    expect(await metric(fast.url, "parley_open_connections")).toBe(2);
    const resume = pauseReading(paused.socket);
    // Frames keep coming from the paused one (JSON pings), pongs never do.
    const chatter = setInterval(() => paused.socket.send({ type: "ping" }), 200);
    const started = Date.now();
    const cut = await until(
      async () => (await metric(fast.url, "parley_open_connections")) === 1,
      8_000,
    );
    clearInterval(chatter);
    console.log(`heartbeat 1 s: paused reader cut after ${Date.now() - started} ms`);
    resume();
    expect(cut).toBe(true);
    // terminate() drops the TCP connection without a close frame.
    expect((await paused.socket.closed).code).toBe(1006);
    // The reader that answers pings is still there, after several intervals.
    reader.socket.send({ type: "ping" });
    await reader.socket.next((f) => f.type === "pong", 5_000);
    expect(await metric(fast.url, "parley_open_connections")).toBe(1);
    reader.socket.close();
  });
});
