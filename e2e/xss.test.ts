import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  messageItem,
  messageLog,
  sendMessage,
  signInFast,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

const IMG = `<img src=x onerror="window.__xss=1">`;
const SCRIPT = "<script>window.__xss=2</script>";
const SAFE_URL = "https://example.com/x";
const JS_URL = "javascript:alert(1)";

/** Both payloads are shown literally, nothing ran, and only the https URL is a link. */
async function expectInert(page: Page) {
  const log = messageLog(page);
  await log.getByText(IMG, { exact: true }).waitFor({ timeout: 5_000 });
  await log.getByText(SCRIPT, { exact: true }).waitFor({ timeout: 5_000 });
  expect(await log.getByRole("img").count()).toBe(0);
  expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();

  const link = log.getByRole("link", { name: SAFE_URL });
  expect(await link.getAttribute("href")).toBe(SAFE_URL);
  expect(await link.getAttribute("rel")).toContain("noopener");

  const jsItem = messageItem(page, JS_URL);
  await jsItem.waitFor();
  expect(await jsItem.getByRole("link").count()).toBe(0);
  const hrefs = await log
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
}

describe.skipIf(!available)("message text is inert", () => {
  const suite = useBrowserSuite();

  it("renders HTML as text and links only http(s) URLs, live and after a reload", async () => {
    const [a, b] = await Promise.all([suite.open(), suite.open()]);
    await Promise.all([
      signInFast(a.page, suite.server.url, "Mallory"),
      signInFast(b.page, suite.server.url, "Vic"),
    ]);

    await sendMessage(a.page, IMG);
    await sendMessage(a.page, SCRIPT);
    await sendMessage(a.page, `see ${SAFE_URL}`);
    await sendMessage(a.page, `try ${JS_URL} now`);

    // Live (client-rendered) on the receiving side and on the sender's.
    await expectInert(b.page);
    await expectInert(a.page);
    // Server-rendered after a reload.
    await visit(b.page, "/r/general");
    await expectInert(b.page);

    // A payload that ran would have run while rendering, which expectInert waited for.
    expect([...a.dialogs, ...b.dialogs]).toEqual([]);
    expect(await b.page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(b.problems.pageErrors).toEqual([]);
  });
});
