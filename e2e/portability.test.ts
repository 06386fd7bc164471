import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { scan } from "./a11y";
import {
  chromiumAvailable,
  enter,
  openAs,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
  visit,
} from "./browser";
import { shotsInBothSchemes } from "./shots";

const available = chromiumAvailable();
const SHOTS = join("docs", "issue-15");

const shots = (page: Page, name: string) =>
  shotsInBothSchemes(page, join(SHOTS, `export-${name}`), { fullPage: true });

/** Presses Enter on the focused button and reads the file it downloads as JSONL lines. */
async function downloadByEnter(page: Page): Promise<{ name: string; lines: { type: string }[] }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.keyboard.press("Enter"),
  ]);
  const path = await download.path();
  const lines = readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string });
  return { name: download.suggestedFilename(), lines };
}

// Issue 15: the two export buttons in a real browser, by keyboard.
describe.skipIf(!available)("export buttons", () => {
  const suite = useBrowserSuite();

  it("an admin exports a room from /admin/rooms", { timeout: 90_000 }, async () => {
    // The suite's first sign-up owns the server.
    const { page, problems } = await openAs(suite, "Owner");
    const tag = uniqueTag();
    await enter(page, "/r/general");
    await sendMessage(page, `owner note ${tag}`);
    await visit(page, "/admin/rooms");
    const row = page
      .getByRole("table", { name: "Rooms" })
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: /general/ }) });
    const button = row.getByRole("button", { name: "Export", exact: true });
    await button.focus();
    const { name, lines } = await downloadByEnter(page);
    expect(name).toMatch(/^parley-room-general-\d{4}-\d{2}-\d{2}\.jsonl$/);
    expect(lines[0]).toMatchObject({ type: "header", scope: "room" });
    expect(JSON.stringify(lines)).toContain(`owner note ${tag}`);
    await page.getByRole("status").filter({ hasText: "Export of #general started." }).waitFor();
    await shots(page, "admin-rooms");
    await scan(page, "export-admin-rooms");
    expect(problems.pageErrors).toEqual([]);
  });

  it("a user exports their own messages from /settings", { timeout: 90_000 }, async () => {
    const { page, problems } = await openAs(suite, "Mika");
    const tag = uniqueTag();
    await enter(page, "/r/general");
    await sendMessage(page, `mika note ${tag}`);
    // Reached from the room list's "Your data" link.
    const link = page.getByRole("link", { name: "Your data" });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL("**/settings");
    await page.getByRole("heading", { name: "Your data" }).waitFor();
    await page.getByRole("button", { name: "Export my messages", exact: true }).focus();
    const { name, lines } = await downloadByEnter(page);
    expect(name).toMatch(/^parley-my-messages-\d{4}-\d{2}-\d{2}\.jsonl$/);
    expect(lines[0]).toMatchObject({ type: "header", scope: "self" });
    const texts = lines.flatMap((l) =>
      l.type === "message" ? [(l as { text?: string }).text] : [],
    );
    expect(texts).toEqual([`mika note ${tag}`]);
    await page.getByRole("status").filter({ hasText: "Your download has started." }).waitFor();
    await shots(page, "settings");
    await scan(page, "export-settings");
    expect(problems.pageErrors).toEqual([]);
  });
});
