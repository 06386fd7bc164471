import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  ensureResultsDir,
  enter,
  openAs,
  sendMessage,
  useBrowserSuite,
  waitForHydration,
} from "./browser";

const available = chromiumAvailable();

/** What <html> says: the choice (data-theme), whether dark is in effect, and the page colour. */
function htmlState(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const main = document.querySelector("main") ?? document.body;
    return {
      theme: root.dataset.theme,
      dark: root.classList.contains("dark"),
      scheme: getComputedStyle(root).colorScheme,
      background: getComputedStyle(main).backgroundColor,
    };
  });
}

/** Whether a computed CSS colour (rgb() or oklch()) is dark: lightness under a half. */
function isDarkColor(css: string): boolean {
  const oklch = /oklch\(([\d.]+)/.exec(css);
  if (oklch) return Number(oklch[1]) < 0.5;
  const rgb = /rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)/.exec(css);
  if (!rgb) throw new Error(`unexpected colour ${css}`);
  return (Number(rgb[1]) + Number(rgb[2]) + Number(rgb[3])) / 3 < 128;
}

/** Every element failing axe in dark (System, emulated) fails it in light too. */
async function expectNoNewViolationsInDark(page: Page) {
  const flat = (violations: Awaited<ReturnType<typeof seriousAxeViolations>>) =>
    violations.flatMap((v) => v.nodes.map((node) => `${v.id} ${node}`)).sort();
  await page.emulateMedia({ colorScheme: "light" });
  const light = flat(await seriousAxeViolations(page));
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(async () => (await htmlState(page)).dark).toBe(true);
  const dark = flat(await seriousAxeViolations(page));
  await page.emulateMedia({ colorScheme: null });
  expect(dark.filter((node) => !light.includes(node))).toEqual([]);
  // Findings in both themes predate dark mode (slate-400/500 hints, the log's list).
  if (light.length > 0) console.log("serious axe findings in both themes:", light);
}

describe.skipIf(!available)("theme", () => {
  const suite = useBrowserSuite();

  it("follows the system by default, live, with the whole page and its controls", async () => {
    const { page, problems } = await openAs(suite, "Theo");
    await page.emulateMedia({ colorScheme: "dark" });
    await enter(page, "/r/general");
    await sendMessage(page, "Dark mode check: hello @everyone https://example.com");
    expect(await page.getByRole("combobox", { name: "Theme" }).inputValue()).toBe("system");
    let state = await htmlState(page);
    expect(state).toMatchObject({ theme: "system", dark: true });
    expect(isDarkColor(state.background)).toBe(true);

    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(async () => (await htmlState(page)).dark).toBe(false);
    state = await htmlState(page);
    expect(isDarkColor(state.background)).toBe(false);

    await screenshotLightAndDark(page, "theme-system");
    expect(problems.pageErrors).toEqual([]);
    // The boot script's attributes on <html> did not upset hydration (React logs #418 there).
    expect(problems.consoleErrors).toEqual([]);
  });

  it("Dark is remembered across a reload and set before any app script runs", async () => {
    const { page, problems } = await openAs(suite, "Dana");
    await page.emulateMedia({ colorScheme: "light" });
    await enter(page, "/r/general");
    await page.getByRole("combobox", { name: "Theme" }).selectOption({ label: "Dark" });
    await expect.poll(async () => (await htmlState(page)).dark).toBe(true);
    expect(await htmlState(page)).toMatchObject({ theme: "dark", scheme: "dark" });

    // The server-rendered page alone, with the app's scripts blocked: only
    // the inline boot script can have set the theme, so the first paint is
    // already dark (no flash of light).
    await page.route(/\/assets\/.*\.js$/, (route) => route.abort());
    await page.reload();
    const early = await htmlState(page);
    expect(early).toMatchObject({ theme: "dark", dark: true, scheme: "dark" });
    expect(isDarkColor(early.background)).toBe(true);
    // The boot script removed itself.
    expect(await page.locator("head script:not([src])").count()).toBe(0);
    await page.unroute(/\/assets\/.*\.js$/);

    await page.reload();
    await waitForHydration(page);
    expect(await page.getByRole("combobox", { name: "Theme" }).inputValue()).toBe("dark");
    expect((await htmlState(page)).dark).toBe(true);
    await page.screenshot({ path: join(ensureResultsDir(), "theme-dark-chosen.png") });

    // Light wins over a dark system.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.getByRole("combobox", { name: "Theme" }).selectOption({ label: "Light" });
    await expect.poll(async () => (await htmlState(page)).dark).toBe(false);
    expect(await htmlState(page)).toMatchObject({ theme: "light", scheme: "light" });
    await page.reload();
    await waitForHydration(page);
    expect(await htmlState(page)).toMatchObject({ theme: "light", dark: false });
    // No CSP refusals: the boot script carried the nonce.
    expect(problems.consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });

  it("dark mode adds no serious axe violation to the light theme's", async () => {
    const { page } = await openAs(suite, "Axel");
    await enter(page, "/r/general");
    await sendMessage(page, "contrast check");
    expect((await htmlState(page)).theme).toBe("system");
    await expectNoNewViolationsInDark(page);
  });
});
