import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type AxeViolation, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  cuttableConnection,
  ensureResultsDir,
  enter,
  expectStatus,
  messageItem,
  messageLog,
  openAs,
  uniqueTag,
  useBrowserSuite,
} from "./browser";
import {
  attachAndWait,
  attachInput,
  binaryFile,
  pdfFile,
  pngFile,
  pressSend,
  throttleUploads,
} from "./files-kit";

const available = chromiumAvailable();
/** Screenshots for people to look at (besides test-results/). */
const SHOTS_DIR = process.env.PARLEY_SHOTS_DIR ?? join(ensureResultsDir(), "shots");

/**
 * axe on the whole page in light and dark (emulated OS scheme, Theme at
 * System), with a screenshot of each; soft-asserts no serious finding.
 */
async function scan(page: Page, screen: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const found: Record<string, AxeViolation[]> = {};
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    found[scheme] = await seriousAxeViolations(page);
    await page.screenshot({ path: join(SHOTS_DIR, `files-${screen}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
  expect.soft(found, `serious axe findings on ${screen}`).toEqual({ light: [], dark: [] });
}

describe.skipIf(!available)("accessibility of files, light and dark", () => {
  const suite = useBrowserSuite();

  it("a room with an image and a file card, the viewer, uploads and a pending message", async () => {
    const [a, b] = await Promise.all([openAs(suite, "Axa"), openAs(suite, "Axb")]);
    const network = await cuttableConnection(a.context);
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Files a11y ${uniqueTag()}`);
    await enter(b.page, path);
    const tag = uniqueTag();
    const image = await pngFile(`whiteboard-${tag}.png`, 800, 500);
    const report = pdfFile(`quarterly-report-${tag}.pdf`);
    await attachAndWait(b.page, [image, report]);
    await b.page.getByRole("textbox", { name: "Message" }).fill(`Notes from today ${tag}`);
    await pressSend(b.page);
    await messageLog(a.page).getByRole("img", { name: image.name }).waitFor({ timeout: 10_000 });
    await expect
      .poll(() =>
        messageLog(a.page)
          .getByRole("img", { name: image.name })
          .evaluate((el) => (el as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    await scan(a.page, "room");

    await messageLog(a.page).getByRole("button", { name: image.name }).click();
    const viewer = a.page.getByRole("dialog", { name: "Image viewer" });
    await expect
      .poll(() =>
        viewer
          .getByRole("img", { name: image.name })
          .evaluate((el) => (el as HTMLImageElement).naturalWidth),
      )
      .toBe(800);
    await scan(a.page, "viewer");
    await a.page.keyboard.press("Escape");
    await viewer.waitFor({ state: "hidden" });

    // Uploads in the composer: one done, one still going (throttled).
    const done = pdfFile(`agenda-${tag}.pdf`, 30_000);
    await attachAndWait(a.page, [done]);
    const unthrottle = await throttleUploads(a.context, a.page, 256 * 1024);
    const slow = binaryFile(`recording-${tag}.bin`, 8 * 1024 * 1024);
    await attachInput(a.page).setInputFiles([slow]);
    const bar = a.page.getByRole("progressbar", { name: slow.name });
    await expect
      .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await scan(a.page, "uploads");
    await a.page.getByRole("button", { name: "Cancel upload" }).click();
    await bar.waitFor({ state: "detached" });
    await unthrottle();

    // Offline: the message with its file waits as "Sending…".
    await network.cut();
    await expectStatus(a.page, "Offline", 5_000);
    await a.page.getByRole("textbox", { name: "Message" }).fill(`agenda attached ${tag}`);
    await pressSend(a.page);
    await messageItem(a.page, `agenda attached ${tag}`).getByText("Sending…").waitFor();
    await scan(a.page, "pending-message");
    await network.restore();
    await messageItem(b.page, `agenda attached ${tag}`).waitFor({ timeout: 15_000 });
    expect(a.problems.pageErrors).toEqual([]);
  });
});

describe.skipIf(!available)("accessibility of a refused upload", () => {
  const suite = useBrowserSuite({ serverEnv: { PARLEY_MAX_UPLOAD_MB: "1" } });

  it("the alert naming the limit", async () => {
    const a = await openAs(suite, "Axr");
    await enter(a.page, "/r/general");
    await attachInput(a.page).setInputFiles([binaryFile(`huge-${uniqueTag()}.bin`, 1_500_000)]);
    await a.page.locator("main form:has(textarea)").getByRole("alert").waitFor({ timeout: 10_000 });
    await scan(a.page, "refused");
  });
});
