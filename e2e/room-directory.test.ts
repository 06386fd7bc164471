import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openDb } from "../test/helpers/integration-extra";
import { type AxeViolation, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  ensureResultsDir,
  enter,
  expectConnected,
  openAs,
  roomsNav,
  signUpInto,
  uniqueTag,
  useBrowserSuite,
  visit,
  waitForHydration,
} from "./browser";

const available = chromiumAvailable();
/** Screenshots for people to look at (besides test-results/). */
const SHOTS_DIR = process.env.PARLEY_SHOTS_DIR ?? join(ensureResultsDir(), "shots");

const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * The Rooms navigation, opened first where it sits in a drawer (a header
 * button "Rooms" on phones once the drawer exists); else the sidebar.
 */
async function openNav(page: Page) {
  const nav = roomsNav(page).first();
  if (!(await nav.isVisible())) {
    const button = page.getByRole("button", { name: "Rooms", exact: true });
    if (await button.isVisible()) await button.click();
  }
  await nav.waitFor({ state: "visible" });
  return nav;
}

/** Leaves the open room through the members panel (opened first on narrow screens). */
async function leaveRoom(page: Page) {
  const leave = page.getByRole("button", { name: "Leave room" });
  if (!(await leave.isVisible())) {
    await page.getByRole("button", { name: /^(Show members|Members)$/ }).click();
  }
  await leave.click();
}

/** axe on the whole page in light and dark, with a screenshot of each for people to look at. */
async function scanAndShoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const found: Record<string, AxeViolation[]> = {};
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    found[scheme] = await seriousAxeViolations(page);
    await page.screenshot({ path: join(SHOTS_DIR, `17-rooms-${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
  expect.soft(found, `serious axe findings on ${name}`).toEqual({ light: [], dark: [] });
}

/** Light and dark screenshots of the page as it is (no scan: the room page has its own). */
async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS_DIR, `17-rooms-${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}

describe.skipIf(!available)("Browse rooms and the joined-rooms sidebar", () => {
  const suite = useBrowserSuite();

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    it(`${size}: Browse rooms, join (the room appears in the sidebar), open, leave (gone)`, async () => {
      const tag = uniqueTag();
      const roomName = `Deploys ${tag}`;
      const owner = await openAs(suite, "Owner");
      await enter(owner.page, "/r/general");
      const path = await createRoom(owner.page, roomName);
      const db = openDb(suite.server.dataDir);
      db.prepare("UPDATE room SET topic = ? WHERE slug = ?").run(
        "Release trains and rollbacks",
        path.slice(3),
      );
      db.close();

      const reader = await suite.open({ viewport });
      await signUpInto(reader.context, suite.server.url, "Reader");
      const { page } = reader;
      await enter(page, "/r/general");
      let nav = await openNav(page);
      // Not joined: a public room of someone else's is not in the sidebar.
      expect(await nav.getByRole("link", { name: roomName }).count()).toBe(0);

      await nav.getByRole("link", { name: "Browse rooms" }).click();
      await page.waitForURL("**/rooms");
      await page.getByRole("heading", { level: 1, name: "Browse rooms" }).waitFor();
      await waitForHydration(page);
      const list = page.getByRole("list", { name: "Public rooms" });
      await page.getByRole("searchbox", { name: "Search rooms" }).fill(`deploys ${tag}`);
      const item = list.getByRole("listitem", { name: roomName });
      await expect.poll(() => list.getByRole("listitem").count()).toBe(1);
      // The count is announced (the list itself is not a live region).
      await expect
        .poll(() => page.getByRole("status").filter({ hasText: "public room" }).textContent())
        .toBe("1 public room");
      expect(await item.textContent()).toContain("1 member");
      expect(await item.textContent()).toContain("Release trains and rollbacks");
      if (size === "desktop") await scanAndShoot(page, `directory-${size}`);

      await item.getByRole("button", { name: "Join" }).click();
      await item.getByRole("button", { name: "Open" }).waitFor();
      // The button may turn to "Open" on the socket's room_added before the count does.
      await expect.poll(() => item.textContent()).toContain("2 members");
      nav = await openNav(page);
      // Live: the socket's room_added puts it in the sidebar without a reload.
      await nav.getByRole("link", { name: roomName }).waitFor({ timeout: 5_000 });
      if (size === "phone") await scanAndShoot(page, `directory-${size}`);
      await page.keyboard.press("Escape");

      await item.getByRole("button", { name: "Open" }).click();
      await page.waitForURL(`**${path}`);
      await page.getByRole("heading", { level: 1, name: roomName }).waitFor();
      await expectConnected(page);
      if (size === "desktop") await shoot(page, "sidebar-joined-desktop");
      await leaveRoom(page);
      await page.waitForURL("**/r/general");
      await page.getByRole("heading", { level: 1, name: "general" }).waitFor();
      nav = await openNav(page);
      await expect.poll(() => nav.getByRole("link", { name: roomName }).count()).toBe(0);
      expect(reader.problems.pageErrors).toEqual([]);
    });
  }

  it("collapses and expands each group, remembered after a reload", async () => {
    const { page } = await openAs(suite, "Folder");
    await enter(page, "/r/general");
    const nav = await openNav(page);
    const general = nav.getByRole("link", { name: "general", exact: true });
    await general.waitFor();
    await nav.getByRole("link", { name: "Browse rooms" }).click();
    await page.getByRole("heading", { level: 1, name: "Browse rooms" }).waitFor();
    await waitForHydration(page);

    const collapse = nav.getByRole("button", { name: "Collapse Rooms" });
    expect(await collapse.getAttribute("aria-expanded")).toBe("true");
    await collapse.click();
    const expand = nav.getByRole("button", { name: "Expand Rooms" });
    expect(await expand.getAttribute("aria-expanded")).toBe("false");
    // general is not the page on screen and has nothing unread: folded away.
    await expect.poll(() => general.count()).toBe(0);
    await nav.getByRole("button", { name: "Collapse Direct messages" }).click();
    await nav.getByRole("button", { name: "Expand Direct messages" }).waitFor();

    await page.reload();
    await waitForHydration(page);
    await nav.getByRole("button", { name: "Expand Rooms" }).waitFor();
    await nav.getByRole("button", { name: "Expand Direct messages" }).waitFor();
    expect(await general.count()).toBe(0);
    await scanAndShoot(page, "sidebar-collapsed");

    // Keyboard: the button takes Enter.
    await nav.getByRole("button", { name: "Expand Rooms" }).focus();
    await page.keyboard.press("Enter");
    await general.waitFor();
    await page.reload();
    await waitForHydration(page);
    await general.waitFor();
    expect(
      await nav.getByRole("button", { name: "Collapse Rooms" }).getAttribute("aria-expanded"),
    ).toBe("true");
    await nav.getByRole("button", { name: "Expand Direct messages" }).waitFor();
  });

  it("says so when a search or a join fails, and changes nothing", async () => {
    const tag = uniqueTag();
    const owner = await openAs(suite, "Maker");
    await enter(owner.page, "/r/general");
    const roomName = `Outage ${tag}`;
    await createRoom(owner.page, roomName);

    const { page } = await openAs(suite, "Unlucky");
    await visit(page, "/rooms");
    const list = page.getByRole("list", { name: "Public rooms" });
    const item = list.getByRole("listitem", { name: roomName });
    await item.waitFor();
    // The server cannot be reached for the next calls.
    await page.route("**/_serverFn/**", (route) => route.abort());
    await page.getByRole("searchbox", { name: "Search rooms" }).fill(`outage ${tag}`);
    await page
      .getByRole("alert")
      .filter({ hasText: "Could not search rooms. Try again." })
      .waitFor();
    await item.getByRole("button", { name: "Join" }).click();
    await item
      .getByRole("alert")
      .filter({ hasText: "Could not join the room. Try again." })
      .waitFor();
    expect(await item.getByRole("button", { name: "Join" }).count()).toBe(1);
    expect(await roomsNav(page).getByRole("link", { name: roomName }).count()).toBe(0);

    // Back: the next search answers and the error goes.
    await page.unroute("**/_serverFn/**");
    await page.getByRole("searchbox", { name: "Search rooms" }).fill(`Outage ${tag}`);
    await expect
      .poll(() => page.getByRole("alert").filter({ hasText: "Could not search" }).count())
      .toBe(0);
    await item.getByRole("button", { name: "Join" }).click();
    await item.getByRole("button", { name: "Open" }).waitFor();
    await roomsNav(page).getByRole("link", { name: roomName }).waitFor({ timeout: 5_000 });
  });

  it("sends a signed-out visit to /rooms through sign-in and back", async () => {
    const { page } = await suite.open();
    await page.goto("/rooms");
    await page.waitForURL(/\/sign-in\?next=%2Frooms$/);
  });
});
