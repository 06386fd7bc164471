import { createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  expectConnected,
  expectStatus,
  signInFast,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/** Keeps, per WebSocket the page makes, how long it lived until its close event. */
function recordSocketLifetimes() {
  const lifetimes: number[] = [];
  (window as unknown as { __wsLifetimes: number[] }).__wsLifetimes = lifetimes;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const started = Date.now();
      this.addEventListener("close", () => lifetimes.push(Date.now() - started));
    }
  };
}

describe.skipIf(!available)("reconnect when a handshake hangs", () => {
  const suite = useBrowserSuite();

  it("abandons an attempt that has not opened within 5 s and tries again", async () => {
    const { context, page } = await suite.open();
    await context.addInitScript(recordSocketLifetimes);
    await signInFast(page, suite.server.url, "Hang");

    // The server dies; in its place something accepts TCP connections and
    // never answers (a frozen process, a proxy without its backend).
    await suite.server.kill();
    const held = new Set<Socket>();
    const hanging = createServer((socket) => {
      held.add(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => hanging.listen(suite.server.port, "127.0.0.1", resolve));
    try {
      await expectStatus(page, "Reconnecting…");
      // An attempt that lived 5 s (the connect timeout) and then closed.
      await expect
        .poll(
          async () =>
            (
              await page.evaluate(
                () => (window as unknown as { __wsLifetimes: number[] }).__wsLifetimes,
              )
            ).some((ms) => ms >= 4_500 && ms <= 7_000),
          { timeout: 15_000, interval: 100 },
        )
        .toBe(true);
      expect(held.size).toBeGreaterThan(0);
    } finally {
      const closed = new Promise<void>((resolve) => hanging.close(() => resolve()));
      for (const socket of held) socket.destroy();
      await closed;
    }

    await suite.server.restart();
    await expectConnected(page, 15_000);
    const lifetimes = await page.evaluate(
      () => (window as unknown as { __wsLifetimes: number[] }).__wsLifetimes,
    );
    console.info(`WebSocket lifetimes until close (ms): ${lifetimes.join(", ")}`);
  });
});
