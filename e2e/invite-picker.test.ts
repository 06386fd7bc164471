import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { userTag } from "../src/core/user-tag";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  enter,
  membersPanel,
  openAs,
  roomsNav,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/** The signed-in user's id, as the page's own session says. */
async function userIdOf(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const response = await fetch("/api/auth/get-session");
    const session = (await response.json()) as { user: { id: string } };
    return session.user.id;
  });
}

// Issue 18, F-2 and F-10: an invite picks one person (by id, from a list
// that shows a tag beside each name) with the keyboard alone; blocking is a
// button in the member list.
describe.skipIf(!available)("invite picker and blocking", () => {
  const suite = useBrowserSuite();

  it("invites the chosen one of two people with one name, by keyboard, then blocks them", async () => {
    const tag = randomUUID().slice(0, 6);
    const dana = (n: number) => ({
      name: `Dana ${tag}`,
      email: `dana${n}-${tag}@example.test`,
      password: "correct horse battery",
    });
    const [owner, d1, d2] = await Promise.all([
      openAs(suite, "Ivy"),
      openAs(suite, dana(1)),
      openAs(suite, dana(2)),
    ]);
    await Promise.all([owner, d1, d2].map((p) => enter(p.page, "/r/general")));
    const secondId = await userIdOf(d2.page);
    const secondTag = userTag(secondId);

    // A private room, made through the New room form.
    const page = owner.page;
    await roomsNav(page).getByRole("button", { name: "New room" }).click();
    await page.getByLabel("Room name").fill(`plans ${tag}`);
    await page.getByLabel("Private room").check();
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page
      .getByRole("heading", { level: 1, name: `plans ${tag}` })
      .waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/r/plans-${tag}--[a-z0-9]{8}$`));

    // Type the shared name: both people are listed, told apart by their tags.
    const panel = membersPanel(page);
    const input = panel.getByRole("combobox", { name: "User name" });
    await input.focus();
    await page.keyboard.type(`dana ${tag}`);
    const options = panel.getByRole("listbox", { name: "People" }).getByRole("option");
    await options.nth(1).waitFor({ timeout: 5_000 });
    expect(await options.count()).toBe(2);
    const texts = await options.allTextContents();
    expect(texts.every((t) => t.startsWith(`Dana ${tag} #`))).toBe(true);
    expect(new Set(texts).size).toBe(2);
    // The open picker, as a person and as assistive tech meet it.
    expect(await seriousAxeViolations(page, '[aria-label="Members"]')).toEqual([]);
    await screenshotLightAndDark(page, "invite-picker");

    // Arrow down to the second Dana, Enter picks, Tab moves to Invite, Enter sends.
    const wanted = texts.findIndex((t) => t.endsWith(`#${secondTag}`));
    expect(wanted).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < wanted; i++) await page.keyboard.press("ArrowDown");
    expect(await options.nth(wanted).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    expect(await input.inputValue()).toBe(`Dana ${tag} #${secondTag}`);
    await page.keyboard.press("Tab");
    expect(
      await panel
        .getByRole("button", { name: "Invite" })
        .evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await page.keyboard.press("Enter");
    await panel.getByText(`Dana ${tag} #${secondTag} was added.`).waitFor({ timeout: 5_000 });

    // Exactly that person joined: the room shows up in their nav, not the other Dana's.
    await roomsNav(d2.page)
      .getByRole("link", { name: new RegExp(`^plans ${tag}`) })
      .waitFor({ timeout: 5_000 });
    const entry = panel.getByRole("listitem", {
      name: new RegExp(`^Dana ${tag}, (online|offline)$`),
    });
    await entry.waitFor({ timeout: 5_000 });
    expect(await entry.count()).toBe(1);
    expect(await entry.getByText(`#${secondTag}`).count()).toBe(1);
    expect(
      await roomsNav(d1.page)
        .getByRole("link", { name: new RegExp(`^plans ${tag}`) })
        .count(),
    ).toBe(0);

    // An unknown name says so.
    await input.fill("");
    await input.focus();
    await page.keyboard.type("zz nobody");
    await panel.getByText('Nobody is called "zz nobody".').waitFor({ timeout: 5_000 });

    // Block from the member list, by keyboard; it holds across a reload.
    const block = entry.getByRole("button", { name: `Block Dana ${tag}` });
    await block.focus();
    await page.keyboard.press("Enter");
    const unblock = entry.getByRole("button", { name: `Unblock Dana ${tag}` });
    await unblock.waitFor({ timeout: 5_000 });
    expect(await seriousAxeViolations(page, '[aria-label="Members"]')).toEqual([]);
    await screenshotLightAndDark(page, "member-blocked");
    await page.reload();
    await unblock.waitFor({ timeout: 10_000 });
    await unblock.click();
    await entry.getByRole("button", { name: `Block Dana ${tag}` }).waitFor({ timeout: 5_000 });
  });
});

// Issue 18, F-16: arriving at a public room from another site shows a
// "Join room" button instead of joining; pressing it joins and opens the room.
describe.skipIf(!available)("joining from a link elsewhere", () => {
  const suite = useBrowserSuite();

  it("a cross-site arrival shows Join room; the button joins and opens the room", async () => {
    const tag = randomUUID().slice(0, 6);
    const [owner, guest] = await Promise.all([openAs(suite, "Uma"), openAs(suite, "Vic")]);
    await Promise.all([enter(owner.page, "/r/general"), enter(guest.page, "/r/general")]);
    await roomsNav(owner.page).getByRole("button", { name: "New room" }).click();
    await owner.page.getByLabel("Room name").fill(`lobby ${tag}`);
    await owner.page.getByRole("button", { name: "Create", exact: true }).click();
    await owner.page.waitForURL(`**/r/lobby-${tag}`);

    // A page on another site links to the room; following the link is a
    // cross-site top-level navigation (Sec-Fetch-Site: cross-site).
    await guest.page.route("http://elsewhere.test/**", (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<a href="${suite.server.url}/r/lobby-${tag}">a room</a>`,
      }),
    );
    await guest.page.goto("http://elsewhere.test/");
    await guest.page.getByRole("link", { name: "a room" }).click();
    const join = guest.page.getByRole("button", { name: "Join room" });
    await join.waitFor({ timeout: 10_000 });
    expect(await seriousAxeViolations(guest.page, "main")).toEqual([]);
    await screenshotLightAndDark(guest.page, "join-room");
    expect(
      await roomsNav(owner.page)
        .getByRole("link", { name: `lobby ${tag}` })
        .count(),
    ).toBe(1);
    expect(await guest.page.getByRole("navigation", { name: "Rooms" }).count()).toBe(0);
    await join.click();
    await guest.page
      .getByRole("heading", { level: 1, name: `lobby ${tag}` })
      .waitFor({ timeout: 10_000 });
    await roomsNav(guest.page)
      .getByRole("link", { name: `lobby ${tag}` })
      .waitFor();
  });
});
