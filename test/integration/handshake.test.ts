import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp } from "../helpers/clients";
import {
  abortedHandshake,
  eventually,
  HANG_UPS,
  type HangUp,
  healthy,
  metricValue,
} from "../helpers/handshake";
import { seededRandom } from "../helpers/node-client";
import { type RunningServer, startServer } from "../helpers/server";

// Issue 18, F-1: a handshake whose client hangs up while the server answers
// must never take the process down (it did: no `error` listener on the
// upgrade socket, so EPIPE/ECONNRESET were uncaught). Raw TCP, real server.
let server: RunningServer;
let cookie: string;
beforeAll(async () => {
  server = await startServer();
  ({ cookie } = await signUp(server.url));
});
afterAll(() => server?.stop());

/** The server is still up: /healthz answers, and nothing uncaught was printed. */
async function expectAlive() {
  expect(await healthy(server.url)).toBe(true);
  expect(server.output()).not.toMatch(/EPIPE|ECONNRESET|Uncaught|unhandled/i);
}

describe("handshakes that hang up (F-1)", () => {
  it.each(["after-request", "reset-after-request", "mid-headers"] as HangUp[])(
    "an unauthenticated handshake that hangs up (%s) leaves the server up",
    async (how) => {
      for (let i = 0; i < 30; i++) await abortedHandshake(server.url, how);
      // A crash shows within a few attempts; a full handshake round trip after
      // the last one gives the server time to have died of it.
      const socket = await connect(server.url, cookie);
      socket.close();
      await expectAlive();
    },
  );

  it("an authenticated upgrade reset during the session lookup leaves the server up", async () => {
    for (let i = 0; i < 30; i++) {
      await abortedHandshake(server.url, "reset-after-request", { cookie, origin: server.url });
    }
    const socket = await connect(server.url, cookie);
    socket.close();
    await socket.closed;
    await expectAlive();
    const open = await eventually(
      () => metricValue(server.url, "parley_open_connections"),
      (n) => n === 0,
    );
    expect(open).toBe(0);
  });
});
