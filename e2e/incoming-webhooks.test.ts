import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  messageItem,
  openAs,
  uniqueTag,
  useBrowserSuite,
} from "./browser";
import { shotsInBothSchemes } from "./shots";

const available = chromiumAvailable();

/** Focuses a button and presses Enter on it (keyboard only). */
async function press(page: Page, name: string) {
  await page.getByRole("button", { name, exact: true }).focus();
  await page.keyboard.press("Enter");
}

// Issue 15, part C: an incoming webhook made from the room's
// "Integrations" dialog by keyboard posts live to a member's open room.
describe.skipIf(!available)("incoming webhooks", () => {
  const suite = useBrowserSuite();

  it("An incoming webhook posts live to a browser", { timeout: 90_000 }, async () => {
    const creator = await openAs(suite, "Cora");
    const member = await openAs(suite, "Mel");
    const tag = uniqueTag();
    await enter(creator.page, "/r/general");
    const path = await createRoom(creator.page, `Builds ${tag}`);
    await enter(member.page, path);
    await member.page.getByRole("heading", { level: 1, name: `Builds ${tag}` }).waitFor();

    const page = creator.page;
    await press(page, "Integrations");
    const dialog = page.getByRole("dialog", { name: "Integrations" });
    await dialog.waitFor();
    await press(page, "New incoming webhook");
    const name = dialog.getByLabel("Webhook name");
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("CI");
    await press(page, "Create webhook");
    const urlField = dialog.getByLabel("Webhook URL");
    await urlField.waitFor();
    const url = await urlField.inputValue();
    expect(url).toMatch(/\/api\/hooks\/wh_[\w-]+\/[\w-]{43}$/);
    await dialog.getByRole("button", { name: "Revoke", exact: true }).waitFor();

    expect(await seriousAxeViolations(page)).toEqual([]);
    const dir = join("docs", "issue-15");
    await shotsInBothSchemes(page, join(dir, "incoming-webhook-dialog"));
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    // The member's open room shows the post without a reload, as "<username> via <webhook>".
    const text = `Build ${tag} passed`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: `**${text}**`, username: "deploy-bot" }),
    });
    expect([response.status, await response.text()]).toEqual([200, "ok"]);
    const item = messageItem(member.page, text);
    await item.waitFor({ timeout: 10_000 });
    await expect.poll(() => item.textContent()).toContain("deploy-bot via CI");
    expect(await item.locator("strong").textContent()).toBe(text);
    expect(await seriousAxeViolations(member.page)).toEqual([]);
    for (const scheme of ["light", "dark"] as const) {
      await member.page.emulateMedia({ colorScheme: scheme });
      await expect
        .poll(() => member.page.evaluate(() => document.documentElement.classList.contains("dark")))
        .toBe(scheme === "dark");
      await member.page.screenshot({ path: join(dir, `incoming-webhook-message-${scheme}.png`) });
    }
    expect(creator.problems.pageErrors).toEqual([]);
    expect(member.problems.pageErrors).toEqual([]);
  });
});
