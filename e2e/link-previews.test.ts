import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytes, html, startSite, type TestSite } from "../test/helpers/preview-site";
import { seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  ensureResultsDir,
  enter,
  expectCount,
  messageItem,
  openAs,
  sendBarrier,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
} from "./browser";
import { pngFile } from "./files-kit";

const available = chromiumAvailable();
const SHOTS_DIR = process.env.PARLEY_SHOTS_DIR ?? join(ensureResultsDir(), "shots");
const TITLE = "Parley & friends ship files";

describe.skipIf(!available)("link previews in the browser", () => {
  // A page on loopback, on the server's allow list (its port is known only once it listens).
  let site: TestSite | undefined;
  const serverEnv: Record<string, string> = {};
  beforeAll(async () => {
    site = await startSite();
    const card = await pngFile("card.png", 600, 315);
    site.route(
      "/article",
      html(`
        <meta property="og:title" content="Parley &amp; friends ship files">
        <meta property="og:description" content="Uploads with progress, previews and an SSRF guard.">
        <meta property="og:site_name" content="Loopback News">
        <meta property="og:image" content="/card.png">`),
    );
    site.route("/card.png", bytes("image/png", card.buffer));
    serverEnv.PARLEY_LINK_PREVIEW_ALLOW_HOSTS = `127.0.0.1:${site.port}`;
  });
  afterAll(() => site?.close());
  const suite = useBrowserSuite({ serverEnv });

  it("a link's preview shows live as an article named after the title; its author removes it", async () => {
    const [a, b] = await Promise.all([openAs(suite, "PvA"), openAs(suite, "PvB")]);
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Previews ${uniqueTag()}`);
    await enter(b.page, path);
    const tag = uniqueTag();
    const url = `${site?.url}/article`;
    await sendMessage(a.page, `read this ${url} ${tag}`);

    // Both see it, as the server attaches it after the message (an `updated`).
    const article = (page: typeof a.page) =>
      messageItem(page, `read this`).getByRole("article", { name: TITLE, exact: true });
    await article(b.page).waitFor({ timeout: 15_000 });
    await article(a.page).waitFor({ timeout: 15_000 });
    const card = article(b.page);
    expect(await card.getByText("Loopback News").count()).toBe(1);
    expect(await card.getByText("Uploads with progress, previews and an SSRF guard.").count()).toBe(
      1,
    );
    const link = card.getByRole("link", { name: TITLE, exact: true });
    expect(await link.getAttribute("href")).toBe(url);
    // The image is the server's copy (a file of the room), decorative.
    const image = card.locator("img");
    expect(await image.getAttribute("alt")).toBe("");
    expect(await image.getAttribute("src")).toMatch(/^\/files\/[^/]+\/[^?]+\?thumb=1$/);
    await expect
      .poll(() => image.evaluate((el) => (el as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    // Only the author may remove it.
    expect(await card.getByRole("button", { name: "Remove preview" }).count()).toBe(0);

    // axe with a preview in the log, light and dark, and screenshots.
    mkdirSync(SHOTS_DIR, { recursive: true });
    for (const scheme of ["light", "dark"] as const) {
      await a.page.emulateMedia({ colorScheme: scheme });
      await expect
        .poll(() => a.page.evaluate(() => document.documentElement.classList.contains("dark")))
        .toBe(scheme === "dark");
      expect.soft(await seriousAxeViolations(a.page), `axe on a preview, ${scheme}`).toEqual([]);
      await a.page.screenshot({ path: join(SHOTS_DIR, `files-preview-${scheme}.png`) });
    }
    await a.page.emulateMedia({ colorScheme: null });

    await article(a.page).getByRole("button", { name: "Remove preview" }).click();
    await expectCount(article(a.page), 0, 10_000);
    await expectCount(article(b.page), 0, 10_000);
    // The message itself stays, and the preview does not come back after later traffic.
    await sendBarrier(a.page, b.page, `after the removal ${tag}`);
    expect(await messageItem(b.page, "read this").count()).toBe(1);
    expect(await article(b.page).count()).toBe(0);
    await enter(b.page, path);
    await messageItem(b.page, "read this").waitFor();
    expect(await article(b.page).count()).toBe(0);
  });
});
