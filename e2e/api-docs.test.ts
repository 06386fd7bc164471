import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { scan } from "./a11y";
import { chromiumAvailable, useBrowserSuite, visit } from "./browser";
import { shotsInBothSchemes } from "./shots";

const SHOTS = "docs/issue-15";

const shots = (page: Page, name: string) => shotsInBothSchemes(page, join(SHOTS, `${name}`));

// Issue 15: /api/docs, the REST API's reference, served by the app under its CSP.
describe.skipIf(!chromiumAvailable())("the API reference", () => {
  const suite = useBrowserSuite();

  it("shows every operation of the document, passes the CSP, by keyboard, axe clean", async () => {
    const { page, problems } = await suite.open();
    const violations: string[] = [];
    await page.exposeFunction("reportCsp", (what: string) => violations.push(what));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { reportCsp: (s: string) => void }).reportCsp(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    await visit(page, "/api/docs");
    await expect
      .poll(async () => (await page.getByRole("heading", { level: 1 }).allTextContents()).join("|"))
      .toBe("Parley REST API");
    const post = page.getByRole("article", {
      name: "POST /api/v1/rooms/{room}/messages",
      exact: true,
    });
    await expect.poll(() => post.count()).toBe(1);

    // Every operation the document has is on the page.
    const served = (await (await page.request.get("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(served.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(10);
    for (const name of operations) {
      expect(await page.getByRole("article", { name, exact: true }).count(), name).toBe(1);
    }
    // A problem's `type` lands on its row under "Errors".
    expect(await page.locator("#problem-rate_limited").count()).toBe(1);

    // By keyboard: the first operation link takes you to its card.
    const nav = page.getByRole("navigation", { name: "Operations" });
    const first = nav.getByRole("link").first();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press("Tab");
      if (await first.evaluate((el) => el === document.activeElement)) break;
    }
    expect(await first.evaluate((el) => el === document.activeElement)).toBe(true);
    const href = await first.getAttribute("href");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe(href);

    // The page's own loads and scripts, before axe is injected (axe's own
    // eval is refused by the same CSP, which is the CSP working).
    expect(violations).toEqual([]);
    await scan(page, "api-docs");
    await page.evaluate(() => window.scrollTo(0, 0));
    await shots(page, "api-docs");
    expect(problems.pageErrors).toEqual([]);
  });
});
