import { describe, expect, it } from "vitest";
import { openDb, storedMessages } from "../test/helpers/integration-extra";
import {
  chromiumAvailable,
  expectConnected,
  messageItem,
  messageLog,
  signInFast,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();
const COUNT = 30;

// Order is a guarantee (issue 10, item 2): a person typing and sending as
// fast as they can on a rate-limited server sees, and stores, their
// messages in the order they sent them.
describe.skipIf(!available)("sending fast past the rate limit", () => {
  const suite = useBrowserSuite({
    serverEnv: { PARLEY_RATE_PER_SECOND: "4", PARLEY_RATE_BURST: "4" },
  });

  it(`stores ${COUNT} typed messages in the order they were sent`, async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Fast");
    await expectConnected(page);
    const tag = Math.random().toString(36).slice(2, 8);
    const texts = Array.from({ length: COUNT }, (_, i) => `${tag} ${String(i).padStart(2, "0")}`);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.focus();
    const started = performance.now();
    for (const text of texts) {
      await page.keyboard.type(text);
      await page.keyboard.press("Enter");
    }
    const typedMs = Math.round(performance.now() - started);
    await messageItem(page, texts.at(-1) ?? "").waitFor({ timeout: 30_000 });
    await expect
      .poll(() => messageLog(page).getByText("Sending…").count(), { timeout: 30_000 })
      .toBe(0);
    const storedMs = Math.round(performance.now() - started);
    const general = await page.evaluate(() => document.location.pathname);
    expect(general).toBe("/r/general");
    const rooms = storedMessages(suite.server.dataDir, generalId());
    const mine = rooms.filter((m) => m.text.startsWith(`${tag} `));
    // The page shows them in seq order too.
    const shown = await messageLog(page)
      .getByRole("listitem")
      .filter({ hasText: tag })
      .evaluateAll((items) => items.map((item) => item.textContent ?? ""));
    console.log(
      `order, browser: ${COUNT} typed in ${typedMs} ms, ${mine.length} stored ` +
        `(all acked after ${storedMs} ms), ${shown.length} shown`,
    );
    expect(mine.map((m) => m.text)).toEqual(texts);
    expect(shown.map((line) => texts.findIndex((t) => line.includes(t)))).toEqual(
      texts.map((_, i) => i),
    );
  });

  /** The general room's id, from the database. */
  function generalId(): string {
    const db = openDb(suite.server.dataDir);
    try {
      const row = db.prepare("SELECT id FROM room WHERE slug = 'general'").get();
      return String(row?.id);
    } finally {
      db.close();
    }
  }
});
