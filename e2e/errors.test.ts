import { describe, expect, it } from "vitest";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  expectConnected,
  messageItem,
  sendMessage,
  signInFast,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

// A refusal that is not about a send (those show "Failed, retry" on the
// message) must still reach the user. A server allowing one frame per
// second makes one happen on demand: toggling a reaction quickly.
describe.skipIf(!available)("refused actions", () => {
  const suite = useBrowserSuite({
    serverEnv: { PARLEY_RATE_PER_SECOND: "1", PARLEY_RATE_BURST: "1" },
  });

  it("shows a refused reaction by its message, as an alert the user can dismiss", async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Quick");
    await expectConnected(page);
    await sendMessage(page, "react to me");
    const item = messageItem(page, "react to me");
    // Sends refused by the rate limit are retried by the outbox until stored.
    await item.getByRole("button", { name: "Message actions" }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1_200);
    const thumbs = item.getByRole("button", { name: /^👍 \d+$/ });
    // Next to what was refused: inside the message's own list item.
    const alert = item.getByRole("alert").filter({ hasText: /too fast/i });
    // React and take it back at once, a few times: the server refuses
    // frames beyond one a second, and each click here is a frame.
    const toggle = async () => {
      if (await thumbs.count()) {
        await thumbs.click({ timeout: 1_000 });
        return;
      }
      await item.getByRole("button", { name: "Message actions" }).click();
      await page
        .getByRole("menu", { name: "Message actions" })
        .getByRole("menuitem", { name: "React" })
        .click();
      await page.getByRole("button", { name: "React 👍" }).click();
    };
    for (let i = 0; i < 8 && (await alert.count()) === 0; i++) {
      await toggle().catch(() => {});
    }
    await alert.waitFor({ timeout: 5_000 });
    expect(await alert.textContent()).toMatch(/^Reaction not saved\./);
    expect(await seriousAxeViolations(page, '[role="log"]')).toEqual([]);
    await screenshotLightAndDark(page, "refused-reaction");
    // Keyboard reachable: focus the Dismiss button and press Enter.
    await alert.getByRole("button", { name: "Dismiss" }).focus();
    await page.keyboard.press("Enter");
    await alert.waitFor({ state: "detached", timeout: 2_000 });
    expect(
      await page
        .getByRole("alert")
        .filter({ hasText: /too fast/i })
        .count(),
    ).toBe(0);
  });
});
