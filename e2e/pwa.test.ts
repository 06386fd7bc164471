import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { screenshotLightAndDark } from "./a11y";
import {
  anyRoomLink,
  chromiumAvailable,
  expectConnected,
  expectStatus,
  messageItem,
  roomsNav,
  sendMessage,
  signInFast,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();
/** The suite's pages block service workers (see openPage); these tests are about it. */
const withWorker = { serviceWorkers: "allow" } as const;

type Manifest = {
  name: string;
  start_url: string;
  display: string;
  theme_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
};

describe.skipIf(!available)("installable app (issue 13)", () => {
  const suite = useBrowserSuite();

  it("links a manifest whose icons are served as PNGs of their stated size", async () => {
    const { page } = await suite.open(withWorker);
    await page.goto("/sign-in");
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).toBe("/manifest.webmanifest");
    const response = await fetch(new URL(href as string, suite.server.url));
    expect(response.status).toBe(200);
    const manifest = (await response.json()) as Manifest;
    expect(manifest).toMatchObject({ name: "Parley", display: "standalone" });
    expect(manifest.start_url).toMatch(/^\//);
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    const sizes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? "any"}`);
    expect(sizes).toEqual(
      expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]),
    );
    for (const icon of manifest.icons) {
      const image = await fetch(new URL(icon.src, suite.server.url));
      expect(image.status, icon.src).toBe(200);
      expect(image.headers.get("content-type"), icon.src).toBe("image/png");
      const { width, height, format } = await sharp(
        Buffer.from(await image.arrayBuffer()),
      ).metadata();
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
      expect(format).toBe("png");
    }
  });

  it("registers and activates the service worker, allowed by the page's CSP", async () => {
    const { page, problems } = await suite.open(withWorker);
    await signInFast(page, suite.server.url, "Worker");
    // `ready` settles once a worker is active, possibly still "activating".
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.ready;
          return { state: registration.active?.state, scope: registration.scope };
        }),
      )
      .toEqual({ state: "activated", scope: `${suite.server.url}/` });
    // clients.claim(): the page that registered it is served by it at once.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);
    const script = await fetch(`${suite.server.url}/sw.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(problems.pageErrors).toEqual([]);
    expect(
      problems.consoleErrors.filter((e) => /Content Security Policy|service worker/i.test(e)),
    ).toEqual([]);
  });

  it("reloads offline into the room list and the cached messages, marked Offline", async () => {
    const { page, context } = await suite.open(withWorker);
    await signInFast(page, suite.server.url, "Away");
    const tag = uniqueTag();
    const texts = [`first ${tag}`, `second ${tag}`, `third ${tag}`] as const;
    for (const text of texts) await sendMessage(page, text);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);
    // Loaded under the worker once, so it keeps the page and its assets.
    await page.reload();
    await expectConnected(page);
    await messageItem(page, texts[2]).waitFor();
    // Sent after the kept page was rendered: only the offline cache has it.
    const later = `later ${tag}`;
    await sendMessage(page, later);
    // The offline cache has been written with the newest message.
    await expect
      .poll(() =>
        page.evaluate((text) => {
          for (let i = 0; i < localStorage.length; i++) {
            const key = localStorage.key(i) ?? "";
            if (key.startsWith("parley.offline.") && localStorage.getItem(key)?.includes(text))
              return true;
          }
          return false;
        }, later),
      )
      .toBe(true);

    await context.setOffline(true);
    // Chromium keeps an open socket when it goes offline; a stopped server
    // also makes sure nothing below reaches it.
    await suite.server.stop();
    await page.reload();
    await expectStatus(page, "Offline");
    await anyRoomLink(page, "general").waitFor();
    await expect(roomsNav(page).isVisible()).resolves.toBe(true);
    for (const text of [...texts, later]) await messageItem(page, text).waitFor();

    const dir = join("docs", "issue-13");
    mkdirSync(dir, { recursive: true });
    const shots = await screenshotLightAndDark(page, "issue-13-offline-reload");
    for (const [index, scheme] of ["light", "dark"].entries()) {
      copyFileSync(shots[index] as string, join(dir, `offline-reload-${scheme}.png`));
    }

    await suite.server.restart();
    await context.setOffline(false);
    await expectConnected(page, 15_000);
  });

  it("forgets the cached rooms and pages on sign-out", async () => {
    const { page, context } = await suite.open(withWorker);
    await signInFast(page, suite.server.url, "Leaving");
    const text = `private ${uniqueTag()}`;
    await sendMessage(page, text);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);
    await page.reload();
    await messageItem(page, text).waitFor();
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem("parley.offline.last") !== null))
      .toBe(true);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const kept = await caches.open("parley-shell-v1").then((c) => c.keys());
          return {
            pages: kept.filter((r) => new URL(r.url).pathname.startsWith("/r/")).length,
            last: localStorage.getItem("parley.offline.last"),
          };
        }),
      )
      .toEqual({ pages: 0, last: null });
    await context.setOffline(true);
    // Offline, the room is gone with the cache: no page of it to show.
    await page.goto("/r/general").catch(() => undefined);
    expect(await messageItem(page, text).count()).toBe(0);
    await context.setOffline(false);
  });
});
