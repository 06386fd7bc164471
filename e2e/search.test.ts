import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  enter,
  expectCount,
  openAs,
  sendMessage,
  type TestUser,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/** Types a query into "Search messages" and submits it. */
async function searchFor(page: Page, q: string): Promise<void> {
  const box = page.getByRole("searchbox", { name: "Search messages" });
  await box.fill(q);
  await box.press("Enter");
}

/** The texts of the results list, in order. */
async function resultTexts(page: Page, count: number): Promise<string[]> {
  const hits = page.getByRole("list", { name: "Search results" }).getByRole("link");
  await expectCount(hits, count);
  return hits.allTextContents();
}

describe.skipIf(!available)("search operators in the browser", () => {
  const suite = useBrowserSuite();

  /** A signed-in user whose name has no spaces (so from:<name> is exactly it), in general. */
  async function sid(tag: string) {
    const user: TestUser = {
      name: `Sid${tag}`,
      email: `sid-${tag}@example.test`,
      password: "correct horse battery",
    };
    const opened = await openAs(suite, user);
    await enter(opened.page, "/r/general");
    return opened;
  }

  it("finds messages with operators, and names a bad date instead of searching", async () => {
    const tag = uniqueTag();
    const { page, problems } = await sid(tag);
    const word = `heron${tag}`;
    await sendMessage(page, `${word} the notes are at https://example.com/notes`);
    await sendMessage(page, `${word} without a link`);

    await searchFor(page, `${word} has:link`);
    const linked = await resultTexts(page, 1);
    expect(linked[0]).toContain("https://example.com/notes");

    // Operators alone: this person's messages, newest first.
    await searchFor(page, `from:sid${tag}`);
    const mine = await resultTexts(page, 2);
    expect(mine[0]).toContain(`${word} without a link`);
    expect(mine[1]).toContain(`${word} the notes are at`);

    // Read in the page: a query with a problem never reaches the server.
    const calls: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/_serverFn/")) calls.push(request.url());
    });
    await searchFor(page, `${word} before:2026-13-45`);
    const alert = page.getByRole("alert").filter({ hasText: "is not a date" });
    await alert.waitFor({ timeout: 5_000 });
    expect(await alert.textContent()).toContain("“before:2026-13-45” is not a date");
    await expectCount(page.getByRole("list", { name: "Search results" }), 0);
    expect(calls).toEqual([]);

    // An unknown operator is searched as words, and the panel says so.
    await searchFor(page, `${word} colour:blue`);
    const note = page.getByRole("status").filter({ hasText: "is not a search operator" });
    await note.waitFor({ timeout: 5_000 });
    // ...while a good one does (so the listener above was listening).
    await expect.poll(() => calls.length).toBeGreaterThan(0);
    expect(problems.pageErrors).toEqual([]);
  });

  it("opens the help by keyboard, adds an example to the box, and Escape returns focus", async () => {
    const tag = uniqueTag();
    const { page, problems } = await sid(tag);
    const word = `ibis${tag}`;
    await sendMessage(page, `${word} by keyboard`);

    const box = page.getByRole("searchbox", { name: "Search messages" });
    const help = page.getByRole("button", { name: "Search help" });
    await box.focus();
    await page.keyboard.press("Tab");
    expect(await help.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Search operators" });
    await dialog.waitFor({ timeout: 5_000 });
    expect(await help.getAttribute("aria-expanded")).toBe("true");
    for (const example of [
      "from:ann",
      "in:general",
      "before:",
      "after:",
      "has:link",
      "is:thread",
    ]) {
      expect(await dialog.textContent()).toContain(example);
    }
    expect(await seriousAxeViolations(page, "header")).toEqual([]);
    await screenshotLightAndDark(page, "search-help");

    // Escape closes it and puts focus back on the button.
    await page.keyboard.press("Escape");
    await expectCount(dialog, 0);
    expect(await help.evaluate((el) => el === document.activeElement)).toBe(true);

    // Again, then Tab to the first example and pick it: its value is selected, so typing replaces it.
    await page.keyboard.press("Enter");
    await dialog.waitFor({ timeout: 5_000 });
    await page.keyboard.press("Tab");
    // The focused example shows the app's focus outline, not a faint ring.
    const outline = await page.evaluate(
      () => document.activeElement && getComputedStyle(document.activeElement).outlineStyle,
    );
    expect(outline).toBe("solid");
    await page.keyboard.press("Enter");
    await expectCount(dialog, 0);
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await box.inputValue()).toBe("from:ann");
    await page.keyboard.type(`sid${tag}`);
    expect(await box.inputValue()).toBe(`from:sid${tag}`);
    await page.keyboard.press("Enter");
    const found = await resultTexts(page, 1);
    expect(found[0]).toContain(`${word} by keyboard`);
    expect(await seriousAxeViolations(page, "header")).toEqual([]);
    await screenshotLightAndDark(page, "search-results-operators");
    expect(problems.pageErrors).toEqual([]);
  });
});
