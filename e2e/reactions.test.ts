import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  messageItem,
  sendMessage,
  signInFast,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/** The accessible name (aria-label, else text) of the focused element. */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? "";
  });

/** Presses `key` until the focused element is named `name` (at most `max` presses). */
async function pressUntilFocused(page: Page, key: string, name: string, max = 40) {
  for (let i = 0; i < max && (await focusedName(page)) !== name; i++) {
    await page.keyboard.press(key);
  }
  expect(await focusedName(page)).toBe(name);
}

/** From the composer, by keyboard only: the newest message's actions menu, then its reactions. */
async function openReactionsByKeyboard(page: Page) {
  await page.getByRole("textbox", { name: "Message" }).focus();
  await pressUntilFocused(page, "Shift+Tab", "Message actions");
  await page.keyboard.press("Enter");
  await page.getByRole("menu", { name: "Message actions" }).waitFor();
  await pressUntilFocused(page, "ArrowDown", "React", 10);
  await page.keyboard.press("Enter");
  await pressUntilFocused(page, "Tab", "More reactions", 10);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Pick a reaction" });
  await dialog.waitFor();
  expect(await focusedName(page)).toBe("Search emoji");
  return dialog;
}

describe.skipIf(!available)("reactions with any emoji", () => {
  const suite = useBrowserSuite();

  it("keyboard only: open the actions menu, react with the picker, and the other reader sees it", async () => {
    const [a, b] = await Promise.all([suite.open(), suite.open()]);
    await Promise.all([
      signInFast(a.page, suite.server.url, "Ada"),
      signInFast(b.page, suite.server.url, "Bo"),
    ]);
    const text = `launch day ${uniqueTag()}`;
    await sendMessage(a.page, text);
    await messageItem(b.page, text).waitFor({ timeout: 5_000 });

    // Escape closes the picker and gives focus back to "More reactions".
    let dialog = await openReactionsByKeyboard(b.page);
    await b.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focusedName(b.page)).toBe("More reactions");
    await b.page.keyboard.press("Escape");
    await b.page.getByRole("button", { name: "More reactions" }).waitFor({ state: "detached" });

    dialog = await openReactionsByKeyboard(b.page);
    await b.page.keyboard.type("rocket");
    await dialog.getByRole("button", { name: "rocket", exact: true }).waitFor({ timeout: 10_000 });
    expect(await seriousAxeViolations(b.page, "dialog")).toEqual([]);
    await screenshotLightAndDark(b.page, "emoji-picker");
    await b.page.keyboard.press("ArrowDown");
    expect(await focusedName(b.page)).toBe("rocket");
    // Arrows move around the grid, and back.
    await b.page.keyboard.press("ArrowRight");
    expect(await focusedName(b.page)).not.toBe("rocket");
    await b.page.keyboard.press("ArrowLeft");
    expect(await focusedName(b.page)).toBe("rocket");
    await b.page.keyboard.press("Enter");
    await dialog.waitFor({ state: "hidden" });
    expect(await focusedName(b.page)).toBe("Message actions");

    const mine = messageItem(b.page, text).getByRole("button", { name: "🚀 1", exact: true });
    await mine.waitFor({ timeout: 5_000 });
    expect(await mine.getAttribute("aria-pressed")).toBe("true");
    const theirs = messageItem(a.page, text).getByRole("button", { name: "🚀 1", exact: true });
    await theirs.waitFor({ timeout: 5_000 });
    expect(await theirs.getAttribute("aria-pressed")).toBe("false");

    // A skin tone, chosen in the picker, is what gets sent.
    dialog = await openReactionsByKeyboard(b.page);
    await dialog.getByRole("combobox", { name: "Skin tone" }).selectOption("Medium");
    await dialog.getByRole("searchbox", { name: "Search emoji" }).fill("thumbs up");
    await dialog.getByRole("button", { name: "thumbs up", exact: true }).waitFor();
    await b.page.keyboard.press("Enter");
    await messageItem(a.page, text)
      .getByRole("button", { name: "👍🏽 1", exact: true })
      .waitFor({ timeout: 5_000 });

    expect(a.problems.pageErrors).toEqual([]);
    expect(b.problems.pageErrors).toEqual([]);
  });

  it("says so when the emoji cannot be loaded, and loads them on Try again", async () => {
    const a = await suite.open();
    await signInFast(a.page, suite.server.url, "Cy");
    const text = `no emoji yet ${uniqueTag()}`;
    await sendMessage(a.page, text);
    const chunk = "**/assets/emoji-catalog-*.js";
    await a.page.route(chunk, (route) => route.abort());
    const dialog = await openReactionsByKeyboard(a.page);
    await dialog.getByText("The emoji could not be loaded.").waitFor({ timeout: 10_000 });
    await a.page.unroute(chunk);
    await dialog.getByRole("button", { name: "Try again" }).click();
    await dialog.getByRole("button", { name: "grinning face", exact: true }).waitFor({
      timeout: 10_000,
    });
    expect(await dialog.getByText("The emoji could not be loaded.").count()).toBe(0);
  });
});
