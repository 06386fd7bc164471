import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  expectCount,
  messageItem,
  messageLog,
  signInFast,
  uniqueTag,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

/** Sends text that renders differently from what was typed (sendMessage matches the typed text). */
async function sendFormatted(page: Page, text: string, shown: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
  await expect.poll(() => box.inputValue()).toBe("");
  await messageItem(page, shown).first().waitFor({ timeout: 5_000 });
  await expectCount(messageLog(page).getByText("Sending…"), 0);
}

/** The message's bold text, its highlighted code block and that the block scrolls, not the page. */
async function expectFormatted(page: Page, tag: string) {
  const item = messageItem(page, `bold ${tag}`);
  await item.locator("strong", { hasText: `bold ${tag}` }).waitFor({ timeout: 5_000 });
  expect(await item.locator("em", { hasText: "italic" }).count()).toBe(1);
  expect(await item.locator("del", { hasText: "struck" }).count()).toBe(1);
  expect(await item.locator("p code", { hasText: "inline" }).count()).toBe(1);

  const code = item.locator("pre > code.language-ts");
  // Highlighting arrives with its lazily loaded chunk: wait for the spans.
  await code
    .locator("span.hljs-keyword", { hasText: "const" })
    .first()
    .waitFor({ timeout: 10_000 });
  expect(await code.locator("span.hljs-number", { hasText: "42" }).count()).toBe(1);
  expect(await code.locator("span.hljs-comment").count()).toBe(1);
  const [keyword, plain] = await Promise.all([
    code
      .locator("span.hljs-keyword")
      .first()
      .evaluate((el) => getComputedStyle(el).color),
    code.evaluate((el) => getComputedStyle(el).color),
  ]);
  expect(keyword).not.toBe(plain);

  // The long line scrolls inside the block, which stays within the log.
  const pre = item.locator("pre");
  const widths = await pre.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(widths.scroll).toBeGreaterThan(widths.client);
  const preRight = await pre.evaluate((el) => el.getBoundingClientRect().right);
  const logRight = await messageLog(page).evaluate((el) => el.getBoundingClientRect().right);
  expect(preRight).toBeLessThanOrEqual(logRight);
}

describe.skipIf(!available)("formatted messages", () => {
  const suite = useBrowserSuite();

  it("code blocks render highlighted, and **bold** renders bold", async () => {
    const [a, b] = await Promise.all([suite.open(), suite.open()]);
    await Promise.all([
      signInFast(a.page, suite.server.url, "Ada"),
      signInFast(b.page, suite.server.url, "Bo"),
    ]);
    const tag = uniqueTag();
    const text = [
      `**bold ${tag}**, _italic_, ~~struck~~ and \`inline\` code:`,
      "```ts",
      `const answer: number = 42; // ${"a long comment that goes on ".repeat(12)}`,
      "function twice(x: number) {",
      "  return 2 * x;",
      "}",
      "```",
      "> quoted",
    ].join("\n");
    await sendFormatted(a.page, text, `bold ${tag}`);

    // Live on the other side and on the sender's; then server-rendered after a reload.
    await expectFormatted(b.page, tag);
    await expectFormatted(a.page, tag);
    await visit(b.page, "/r/general");
    await expectFormatted(b.page, tag);
    expect(await messageItem(b.page, `bold ${tag}`).locator("blockquote").count()).toBe(1);

    expect(await seriousAxeViolations(b.page, '[role="log"]')).toEqual([]);
    await screenshotLightAndDark(b.page, "markdown-code-block");

    // Nothing else widens the log either: an unbroken word, URL and inline code.
    const long = `wide ${tag} ${"x".repeat(300)} https://example.com/${"y".repeat(300)} \`${"z".repeat(300)}\``;
    await sendFormatted(a.page, long, `wide ${tag}`);
    const wide = messageItem(b.page, `wide ${tag}`);
    await wide.waitFor({ timeout: 5_000 });
    // The right edge of everything drawn in the message, the text's own line boxes included.
    const [wideRight, logRight] = await Promise.all([
      wide.evaluate((root) => {
        let right = 0;
        for (const el of root.querySelectorAll("*")) {
          for (const rect of el.getClientRects()) right = Math.max(right, rect.right);
        }
        const range = document.createRange();
        range.selectNodeContents(root);
        for (const rect of range.getClientRects()) right = Math.max(right, rect.right);
        return right;
      }),
      messageLog(b.page).evaluate((el) => el.getBoundingClientRect().right),
    ]);
    expect(wideRight).toBeGreaterThan(0);
    expect(wideRight).toBeLessThanOrEqual(logRight);
    expect(b.problems.pageErrors).toEqual([]);
    expect(a.problems.pageErrors).toEqual([]);
    // Server-rendered plain code and the client's first paint agree (no hydration mismatch).
    expect(b.problems.consoleErrors).toEqual([]);
  });
});
