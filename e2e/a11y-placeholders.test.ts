import { describe, expect, it } from "vitest";
import { placeholderContrastFailures } from "./a11y";
import { chromiumAvailable, launchBrowser } from "./browser";

const available = chromiumAvailable();

// axe skips placeholders, so scan() measures them itself: the measure must
// catch a faint one, pass a dark one, and skip fields that are filled or hidden.
describe.skipIf(!available)("the placeholder contrast check", () => {
  it("flags a placeholder under 4.5:1 only", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.setContent(`
        <style>
          .faint::placeholder { color: color-mix(in oklab, currentcolor 50%, transparent); }
          .dark::placeholder { color: #333; }
          .grey-field { background: #ddd; }
          .grey-field::placeholder { color: #767676; }
        </style>
        <input class="faint" placeholder="faint">
        <input class="dark" placeholder="dark">
        <input class="faint" placeholder="filled" value="typed">
        <input class="faint" placeholder="hidden" style="display: none">
        <div class="grey-field"><textarea class="grey-field" placeholder="on grey"></textarea></div>
      `);
      const found = await placeholderContrastFailures(page);
      expect(found).toHaveLength(2);
      expect(found[0]).toMatch(/^"faint" at 4\.\d\d:1$/);
      expect(found[1]).toMatch(/^"on grey" at [0-3]\.\d\d:1$/);
    } finally {
      await browser.close();
    }
  });
});
