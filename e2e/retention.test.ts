import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { scan } from "./a11y";
import {
  chromiumAvailable,
  expectText,
  newUser,
  signUpViaUi,
  useBrowserSuite,
  visit,
} from "./browser";
import { shotsInBothSchemes } from "./shots";

const SHOTS = "docs/issue-15";

const shots = (page: Page, name: string) =>
  shotsInBothSchemes(page, join(SHOTS, `${name}`), { fullPage: true });

/** The retention form's status line on /admin/settings, or the page's on /admin/rooms. */
const settingsStatus = (page: Page) =>
  page.getByRole("form", { name: "Message retention" }).getByRole("status");
const roomsStatus = (page: Page) => page.getByRole("main").getByRole("status").first();

/** Replaces the focused field's text by keyboard and submits it with Enter. */
async function typeAndSubmit(page: Page, text: string) {
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  if (text) await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

// Issue 15: "Keep messages for N days" in the admin console, by keyboard.
describe.skipIf(!chromiumAvailable())("retention settings", () => {
  const suite = useBrowserSuite();

  it("sets the server's and a room's limit by keyboard, refuses bad values, axe clean", async () => {
    const owner = newUser("Owner");
    const { page, problems } = await suite.open();
    await signUpViaUi(page, owner);

    await visit(page, "/admin/settings");
    const field = page.getByLabel("Keep messages for (days)");
    await expect.poll(() => field.isEnabled()).toBe(true);
    expect(await field.inputValue()).toBe("");
    await field.focus();
    await typeAndSubmit(page, "1.5");
    await expectText(settingsStatus(page), "Not saved: see the field.");
    await page.getByText("Give a whole number of days.").waitFor();
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    await typeAndSubmit(page, "-2");
    await page.getByText("Keep messages for at least 1 day").waitFor();
    await typeAndSubmit(page, "30");
    await expectText(settingsStatus(page), "Saved: messages older than 30 days will be deleted.");
    expect(await field.getAttribute("aria-invalid")).toBeNull();
    // The save button is reachable by Tab from the field.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "")).toBe(
      "Save retention",
    );
    await scan(page, "retention-settings");
    await shots(page, "retention-settings");
    await visit(page, "/admin/settings");
    await expect.poll(() => field.inputValue()).toBe("30");

    await visit(page, "/admin/rooms");
    await page.getByRole("table", { name: "Rooms" }).waitFor();
    const room = page.getByLabel("Keep messages in #general for (days)");
    await room.focus();
    await typeAndSubmit(page, "99999");
    await expectText(
      roomsStatus(page),
      "Not saved: At most 3650 days; leave it empty to keep messages forever.",
    );
    expect(await room.getAttribute("aria-invalid")).toBe("true");
    await typeAndSubmit(page, "7");
    await expectText(roomsStatus(page), "#general keeps messages for 7 days.");
    await page.keyboard.press("Tab");
    expect(
      await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? ""),
    ).toBe("Save retention of #general");
    await scan(page, "retention-rooms");
    await shots(page, "retention-rooms");
    await visit(page, "/admin/rooms");
    await expect.poll(() => room.inputValue()).toBe("7");
    // Empty follows the server again.
    await room.focus();
    await typeAndSubmit(page, "");
    await expectText(roomsStatus(page), "#general follows the server's retention.");
    expect(problems.pageErrors).toEqual([]);
  });
});
