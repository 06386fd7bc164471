import { describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  expectConnected,
  expectStatus,
  messageItem,
  messageLog,
  sendMessage,
  signInFast,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

describe.skipIf(!available)("reconnect", () => {
  const suite = useBrowserSuite();

  it("shows Reconnecting… while the server is down and recovers after a restart", async () => {
    const [a, b] = await Promise.all([suite.open(), suite.open()]);
    await Promise.all([
      signInFast(a.page, suite.server.url, "Ana"),
      signInFast(b.page, suite.server.url, "Ben"),
    ]);
    await sendMessage(a.page, "before the restart");
    await messageItem(b.page, "before the restart").waitFor({ timeout: 2_000 });

    await suite.server.stop();
    await Promise.all([
      expectStatus(a.page, "Reconnecting…"),
      expectStatus(b.page, "Reconnecting…"),
    ]);

    // Sent while the server is down: kept as pending, delivered after reconnect.
    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.fill("typed during the outage");
    await box.press("Enter");
    await messageItem(a.page, "typed during the outage").waitFor();

    const restartedAt = Date.now();
    await suite.server.restart();
    // Backoff is capped at 10 s with full jitter: allow 15 s.
    await Promise.all([expectConnected(a.page, 15_000), expectConnected(b.page, 15_000)]);
    const reconnectMs = Date.now() - restartedAt;
    console.info(`reconnected ${reconnectMs} ms after the restart`);

    await messageItem(b.page, "typed during the outage").waitFor({ timeout: 5_000 });
    await sendMessage(a.page, "after the restart");
    await messageItem(b.page, "after the restart").waitFor({ timeout: 2_000 });
    await sendMessage(b.page, "B answers");
    await messageItem(a.page, "B answers").waitFor({ timeout: 2_000 });
    // Each message exactly once on both sides.
    for (const page of [a.page, b.page]) {
      for (const text of ["before the restart", "typed during the outage", "after the restart"]) {
        expect(await messageItem(page, text).count(), `${text} once`).toBe(1);
      }
      expect(await messageLog(page).getByText("Sending…").count()).toBe(0);
    }
  });

  it("shows Offline when the browser is offline and reconnects at once when it is back", async () => {
    const { page, context } = await suite.open();
    await signInFast(page, suite.server.url, "Off");
    // The server goes first, then the network: Chromium keeps an open socket
    // when it goes offline, and while offline it sometimes never showed the
    // page the stopped server's close (the page stayed "Connected"). Once the
    // socket is down, going offline says "Offline".
    await suite.server.stop();
    await expectStatus(page, "Reconnecting…");
    await context.setOffline(true);
    await expectStatus(page, "Offline");
    await suite.server.restart();
    // Stay offline past a backoff attempt or two, then come back: the online
    // event reconnects at once, without waiting for the backoff timer.
    await page.waitForTimeout(1_000);
    const backAt = Date.now();
    await context.setOffline(false);
    // The figure is printed; the bound only tells "at once" from a backoff
    // wait at the cap (10 s), with room for a loaded CI machine.
    await expectConnected(page, 8_000);
    console.info(`reconnected ${Date.now() - backAt} ms after going online`);
    await sendMessage(page, "back online");
  });
});
