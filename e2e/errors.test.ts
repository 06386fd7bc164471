import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openDb } from "../test/helpers/integration-extra";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  enter,
  expectConnected,
  membersPanel,
  messageItem,
  openAs,
  roomsNav,
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

// Issue 10, item 1: a refused invite shows in the invite dialog, a refused
// leave by the Leave button, each announced (aria-live / role="alert").
describe.skipIf(!available)("refusals next to what was refused", () => {
  const suite = useBrowserSuite();

  it("shows a refused invite in its dialog and a refused leave by its button", async () => {
    const tag = randomUUID().slice(0, 6);
    const [ivy, dana] = await Promise.all([openAs(suite, "Ivy"), openAs(suite, `Dana${tag}`)]);
    await Promise.all([enter(ivy.page, "/r/general"), enter(dana.page, "/r/general")]);
    // Dana blocks Ivy: Ivy's invites to Dana are refused by the server.
    await membersPanel(dana.page)
      .getByRole("button", { name: `Block ${ivy.user.name}` })
      .click();
    await membersPanel(dana.page)
      .getByRole("button", { name: `Unblock ${ivy.user.name}` })
      .waitFor({ timeout: 5_000 });

    const page = ivy.page;
    await roomsNav(page).getByRole("button", { name: "New room" }).click();
    await page.getByLabel("Room name").fill(`refusals ${tag}`);
    await page.getByLabel("Private room").check();
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page
      .getByRole("heading", { level: 1, name: `refusals ${tag}` })
      .waitFor({ timeout: 10_000 });
    const panel = membersPanel(page);
    await panel.getByRole("button", { name: "Invite people" }).click();
    const invite = page.getByRole("dialog", { name: "Invite people" });
    await invite.getByRole("combobox", { name: "Search people" }).waitFor();
    await page.keyboard.type(dana.user.name);
    await invite.getByRole("listbox", { name: "People" }).getByRole("option").first().waitFor();
    await page.keyboard.press("Enter");
    const refusal = invite.getByRole("alert");
    await expect
      .poll(() => refusal.textContent(), { timeout: 5_000 })
      .toBe(`${dana.user.name} does not accept invites from you.`);
    // Escape closes the list, then the dialog.
    const box = invite.getByRole("combobox", { name: "Search people" });
    await page.keyboard.press("Escape");
    await expect.poll(() => box.getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("Escape");
    await invite.waitFor({ state: "detached" });

    // Ivy is taken out of the room behind the page's back: Leave is refused.
    const slug = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const db = openDb(suite.server.dataDir);
    try {
      db.prepare(
        'DELETE FROM room_member WHERE user_id = (SELECT id FROM "user" WHERE email = ?) AND room_id = (SELECT id FROM room WHERE slug = ?)',
      ).run(ivy.user.email, slug);
    } finally {
      db.close();
    }
    const leave = panel.getByRole("button", { name: "Leave room" });
    await leave.focus();
    await page.keyboard.press("Enter");
    const alert = leave.locator("..").getByRole("alert");
    await alert.waitFor({ timeout: 5_000 });
    expect(await alert.textContent()).toBe("You can't do that here.");
    expect(new URL(page.url()).pathname).toBe(`/r/${slug}`);
    expect(await seriousAxeViolations(page, '[aria-label="Members"]')).toEqual([]);
    await screenshotLightAndDark(page, "refused-leave");
  });
});
