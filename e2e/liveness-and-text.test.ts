// Issue 18 (F-5, F-19) in a real browser: with liveness coming only from
// pongs, Chromium's automatic answers to the server's pings keep its socket
// up; and the composer refuses exactly what the server would refuse.
import { describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  expectConnected,
  expectCount,
  messageItem,
  messageLog,
  sendMessage,
  signInFast,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

describe.skipIf(!available)("a browser under the pong-only heartbeat", () => {
  const suite = useBrowserSuite({
    serverEnv: { PARLEY_HEARTBEAT_SECONDS: "1", LOG_LEVEL: "info" },
  });
  const count = (pattern: RegExp) => (suite.server.output().match(pattern) ?? []).length;

  it("stays connected over many ping intervals (the browser pongs on its own)", async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Pinged");
    await expectConnected(page);
    const opened = count(/ws open/g);
    expect(opened).toBeGreaterThanOrEqual(1);
    // Two unanswered intervals would cut the socket: watch five of them.
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      expect(count(/ws close/g)).toBe(0);
      await page.waitForTimeout(250);
    }
    expect(count(/ws open/g)).toBe(opened);
    await sendMessage(page, "still here after five heartbeats");
  });

  it("refuses in the composer what the server refuses, and allows what it accepts", async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Composer");
    await expectConnected(page);
    const box = page.getByRole("textbox", { name: "Message" });
    const send = page.getByRole("button", { name: "Send" });
    // 4,001 characters on screen (e + combining acute each): refused early.
    await box.fill("e\u0301".repeat(4_001));
    expect(await send.isDisabled()).toBe(true);
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    // A control character: refused early too.
    await box.fill("bell \u0007 here");
    expect(await send.isDisabled()).toBe(true);
    // 4,000 of them are 4,000 characters (8,000 code points): sent and stored.
    const text = "e\u0301".repeat(4_000);
    await box.fill(text);
    expect(await send.isDisabled()).toBe(false);
    await box.press("Enter");
    await messageItem(page, text.slice(0, 40)).first().waitFor({ timeout: 5_000 });
    // Acknowledged (the pending row is gone), never refused.
    await expectCount(messageLog(page).getByText("Sending…"), 0);
    expect(
      await messageLog(page)
        .getByText(/failed/i)
        .count(),
    ).toBe(0);
  });
});
