import { randomUUID } from "node:crypto";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { scan, screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  cuttableConnection,
  enter,
  membersPanel,
  openAs,
  roomsNav,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();
const PHONE = { width: 390, height: 844 };

/** The signed-in user's id and handle, as the page's own session says. */
async function sessionOf(page: Page): Promise<{ id: string; handle: string }> {
  return page.evaluate(async () => {
    const response = await fetch("/api/auth/get-session");
    const session = (await response.json()) as { user: { id: string; handle: string } };
    return { id: session.user.id, handle: session.user.handle };
  });
}

/** Presses Enter on the control named so (focused first: no clicks). */
async function pressOn(locator: Locator): Promise<void> {
  await locator.focus();
  await expect.poll(() => locator.evaluate((el) => el === document.activeElement)).toBe(true);
  await locator.page().keyboard.press("Enter");
}

const dialog = (page: Page, name: "Invite people" | "New message") =>
  page.getByRole("dialog", { name });
const searchBox = (page: Page, name: "Invite people" | "New message") =>
  dialog(page, name).getByRole("combobox", { name: "Search people" });
const people = (page: Page, name: "Invite people" | "New message") =>
  dialog(page, name).getByRole("listbox", { name: "People" }).getByRole("option");

/** The option whose accessible name is exactly `name`. */
const optionNamed = (page: Page, dialogName: "Invite people" | "New message", name: string) =>
  dialog(page, dialogName).getByRole("option", { name, exact: true });

/** The composer of the room on screen holds focus. */
const composerFocused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el instanceof HTMLTextAreaElement && el.labels?.[0]?.textContent?.trim() === "Message";
  });

// Issue 17 (people pickers), after issue 18's F-2 and F-10: inviting and
// starting a DM use one picker, a combobox "Search people" in a dialog,
// keyboard only; two people of one name differ by handle; refusals name
// their real cause; blocking is a button in the member list.
describe.skipIf(!available)("the people picker: Invite people", () => {
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
    const [first, second] = await Promise.all([sessionOf(d1.page), sessionOf(d2.page)]);

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

    // "Invite people" opens the dialog with focus in the search box.
    const panel = membersPanel(page);
    const opener = panel.getByRole("button", { name: "Invite people" });
    await pressOn(opener);
    const box = searchBox(page, "Invite people");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await box.getAttribute("aria-expanded")).toBe("false");

    // Type the shared name: both people are listed, told apart by their handles.
    await page.keyboard.type(`dana ${tag}`);
    const options = people(page, "Invite people");
    await options.nth(1).waitFor({ timeout: 5_000 });
    expect(await options.count()).toBe(2);
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    // Each option is named by what it shows: "<name> @<handle>".
    for (const { handle } of [first, second]) {
      expect(await optionNamed(page, "Invite people", `Dana ${tag} @${handle}`).count()).toBe(1);
    }
    // No email is shown, or sent to the page.
    expect(await dialog(page, "Invite people").textContent()).not.toContain("example.test");
    // The open picker, as a person and as assistive tech meet it.
    expect(await seriousAxeViolations(page, "dialog[open]")).toEqual([]);
    // The whole page with the picker open, in light and in dark.
    await scan(page, "invite-people");
    await screenshotLightAndDark(page, "invite-people");

    // Arrow down to the second Dana (the active option is the box's
    // aria-activedescendant), Enter invites her.
    const shown = await options.evaluateAll((els) => els.map((el) => el.textContent ?? ""));
    const at = shown.findIndex((text) => text.endsWith(`@${second.handle}`));
    expect(at).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < at; i++) await page.keyboard.press("ArrowDown");
    const activeId = await box.getAttribute("aria-activedescendant");
    expect(await options.nth(at).getAttribute("id")).toBe(activeId);
    expect(await options.nth(at).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("Enter");
    await dialog(page, "Invite people")
      .getByRole("status")
      .getByText(`Dana ${tag} @${second.handle} was invited.`)
      .waitFor({ timeout: 5_000 });
    expect(await box.inputValue()).toBe("");

    // Exactly that person joined: the room shows up in their nav, not the other Dana's.
    await roomsNav(d2.page)
      .getByRole("link", { name: new RegExp(`^plans ${tag}`) })
      .waitFor({ timeout: 5_000 });
    expect(
      await roomsNav(d1.page)
        .getByRole("link", { name: new RegExp(`^plans ${tag}`) })
        .count(),
    ).toBe(0);

    // Picking her again says she is a member already (the list says so first).
    await page.keyboard.type(`@${second.handle}`);
    // Her exact handle comes first, marked in its name too.
    const member = optionNamed(
      page,
      "Invite people",
      `Dana ${tag} @${second.handle}, already a member`,
    );
    await member.waitFor({ timeout: 5_000 });
    expect(await options.first().getAttribute("id")).toBe(await member.getAttribute("id"));
    await page.keyboard.press("Enter");
    const alert = dialog(page, "Invite people").getByRole("alert");
    await expect.poll(() => alert.textContent()).toBe(`Dana ${tag} is already a member.`);

    // An unknown name says so.
    await box.fill("");
    await page.keyboard.type("zz nobody");
    await dialog(page, "Invite people")
      .getByText('Nobody matches "zz nobody".')
      .waitFor({ timeout: 5_000 });

    // Escape closes the list, then the dialog, and focus is back on its button.
    await box.fill("");
    await page.keyboard.type(`dana ${tag}`);
    await options.first().waitFor({ timeout: 5_000 });
    await page.keyboard.press("Escape");
    await expect.poll(() => box.getAttribute("aria-expanded")).toBe("false");
    expect(await dialog(page, "Invite people").count()).toBe(1);
    await page.keyboard.press("Escape");
    await dialog(page, "Invite people").waitFor({ state: "detached" });
    await expect.poll(() => opener.evaluate((el) => el === document.activeElement)).toBe(true);

    // The member list updated: the one Dana, by her handle.
    const entry = panel.getByRole("listitem", {
      name: new RegExp(`^Dana ${tag}, (online|offline)$`),
    });
    await entry.waitFor({ timeout: 5_000 });
    expect(await entry.count()).toBe(1);
    expect(await entry.getByText(`@${second.handle}`).count()).toBe(1);

    // Block from the member list, by keyboard; it holds across a reload.
    const block = entry.getByRole("button", { name: `Block Dana ${tag}` });
    await pressOn(block);
    const unblock = entry.getByRole("button", { name: `Unblock Dana ${tag}` });
    await unblock.waitFor({ timeout: 5_000 });
    expect(await seriousAxeViolations(page, '[aria-label="Members"]')).toEqual([]);
    await screenshotLightAndDark(page, "member-blocked");
    await page.reload();
    await unblock.waitFor({ timeout: 10_000 });
    await unblock.click();
    await entry.getByRole("button", { name: `Block Dana ${tag}` }).waitFor({ timeout: 5_000 });
  });

  it("names the real cause of a refused invite: the person blocked the inviter", async () => {
    const [ivy, kim] = await Promise.all([openAs(suite, "Ivy"), openAs(suite, "Kim")]);
    await Promise.all([enter(ivy.page, "/r/general"), enter(kim.page, "/r/general")]);
    await pressOn(membersPanel(kim.page).getByRole("button", { name: `Block ${ivy.user.name}` }));
    await membersPanel(kim.page)
      .getByRole("button", { name: `Unblock ${ivy.user.name}` })
      .waitFor({ timeout: 5_000 });
    const page = ivy.page;
    await createRoom(page, `Refused ${randomUUID().slice(0, 6)}`);
    await pressOn(membersPanel(page).getByRole("button", { name: "Invite people" }));
    await searchBox(page, "Invite people").waitFor();
    await page.keyboard.type(kim.user.name);
    await people(page, "Invite people").first().waitFor({ timeout: 5_000 });
    await page.keyboard.press("Enter");
    const alert = dialog(page, "Invite people").getByRole("alert");
    await expect
      .poll(() => alert.textContent(), { timeout: 5_000 })
      .toBe(`${kim.user.name} does not accept invites from you.`);
    // The query stays, to pick someone else.
    expect(await searchBox(page, "Invite people").inputValue()).toBe(kim.user.name);
    expect(await seriousAxeViolations(page, "dialog[open]")).toEqual([]);
    await screenshotLightAndDark(page, "invite-refused");
  });
});

describe.skipIf(!available)("the people picker: New message", () => {
  const suite = useBrowserSuite();

  it("desktop: starts a DM by handle from the sidebar, keyboard only, into the composer", async () => {
    const [ann, bea] = await Promise.all([openAs(suite, "Ann"), openAs(suite, "Bea")]);
    await Promise.all([enter(ann.page, "/r/general"), enter(bea.page, "/r/general")]);
    const { handle } = await sessionOf(bea.page);
    const page = ann.page;
    // From a page that is not a room (no room switch to focus the composer).
    await visit(page, "/saved");
    const opener = roomsNav(page).getByRole("button", { name: "New message" });
    await pressOn(opener);
    const box = searchBox(page, "New message");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(`@${handle}`);
    const options = people(page, "New message");
    await options.first().waitFor({ timeout: 5_000 });
    await optionNamed(page, "New message", `${bea.user.name} @${handle}`).waitFor();
    expect(await seriousAxeViolations(page, "dialog[open]")).toEqual([]);
    await scan(page, "new-message");
    await screenshotLightAndDark(page, "new-message");
    await page.keyboard.press("Enter");

    // The DM with Bea opens, and focus is in its composer.
    const dmHeading = page.getByRole("heading", { level: 1, name: bea.user.name, exact: true });
    await dmHeading.waitFor({ timeout: 10_000 });
    await dialog(page, "New message").waitFor({ state: "detached" });
    await expect.poll(() => composerFocused(page), { timeout: 5_000 }).toBe(true);
    await page.keyboard.type("hello from the picker");
    await page.keyboard.press("Enter");
    await roomsNav(bea.page)
      .getByRole("link", { name: new RegExp(`^${ann.user.name}`) })
      .waitFor({ timeout: 5_000 });

    // Picking her again, from her DM, stays there (the same DM, one link)
    // and focus still ends in the composer, not on the button.
    await pressOn(opener);
    await searchBox(page, "New message").waitFor();
    await page.keyboard.type(bea.user.name);
    await options.first().waitFor({ timeout: 5_000 });
    await page.keyboard.press("Enter");
    await dialog(page, "New message").waitFor({ state: "detached" });
    await expect.poll(() => composerFocused(page), { timeout: 5_000 }).toBe(true);
    await dmHeading.waitFor();
    expect(
      await roomsNav(page)
        .getByRole("link", { name: new RegExp(`^${bea.user.name}`) })
        .count(),
    ).toBe(1);
  });

  it("phone: starts a DM from the Rooms drawer; a block is named as the cause", async () => {
    const [cid, dee, eve] = await Promise.all([
      openAs(suite, "Cid"),
      openAs(suite, "Dee"),
      openAs(suite, "Eve"),
    ]);
    await Promise.all([cid, dee, eve].map((p) => enter(p.page, "/r/general")));
    // Eve blocks Cid: Cid cannot open a DM with her.
    await pressOn(membersPanel(eve.page).getByRole("button", { name: `Block ${cid.user.name}` }));
    await membersPanel(eve.page)
      .getByRole("button", { name: `Unblock ${cid.user.name}` })
      .waitFor({ timeout: 5_000 });
    const page = cid.page;
    await page.setViewportSize(PHONE);
    await pressOn(page.getByRole("button", { name: "Rooms", exact: true }));
    const drawer = page.getByRole("dialog", { name: "Rooms" });
    await drawer.waitFor();
    await pressOn(drawer.getByRole("button", { name: "New message" }));
    const box = searchBox(page, "New message");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.keyboard.type(eve.user.name);
    await people(page, "New message").first().waitFor({ timeout: 5_000 });
    await page.keyboard.press("Enter");
    const alert = dialog(page, "New message").getByRole("alert");
    await expect
      .poll(() => alert.textContent(), { timeout: 5_000 })
      .toBe(`${eve.user.name} does not accept direct messages from you.`);
    expect(await seriousAxeViolations(page, "dialog[open]")).toEqual([]);
    await screenshotLightAndDark(page, "new-message-phone");

    await box.fill("");
    await page.keyboard.type(dee.user.name);
    await people(page, "New message")
      .filter({ hasText: dee.user.name })
      .waitFor({ timeout: 5_000 });
    await page.keyboard.press("Enter");
    await page
      .getByRole("heading", { level: 1, name: dee.user.name, exact: true })
      .waitFor({ timeout: 10_000 });
    await drawer.waitFor({ state: "detached" });
    await expect.poll(() => composerFocused(page), { timeout: 5_000 }).toBe(true);
  });
});

describe.skipIf(!available)("the people picker when things fail", () => {
  // The real look-up limit (1 a second, a burst of 3), not the tests' unlimited one.
  const suite = useBrowserSuite({ serverEnv: { PARLEY_SEARCHES_PER_SECOND: "1" } });

  it("says why a look-up or a DM failed: rate limited, offline, no answer", async () => {
    const [fay, gil] = await Promise.all([openAs(suite, "Fay"), openAs(suite, "Gil")]);
    await Promise.all([enter(fay.page, "/r/general"), enter(gil.page, "/r/general")]);
    const page = fay.page;
    await pressOn(roomsNav(page).getByRole("button", { name: "New message" }));
    const box = searchBox(page, "New message");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    const status = dialog(page, "New message").getByRole("status");

    // Rate limited: the route spends Fay's look-up budget on the server,
    // then hands the page the server's own refusal.
    await page.route("**/_serverFn/**", async (route) => {
      if (route.request().method() !== "GET") return route.fallback();
      for (let i = 0; i < 40; i++) {
        const response = await route.fetch();
        const body = await response.text();
        if (body.includes("Too many look-ups")) return route.fulfill({ response, body });
      }
      return route.abort();
    });
    await page.keyboard.type(gil.user.name);
    await expect
      .poll(() => status.textContent(), { timeout: 10_000 })
      .toMatch(/^Too many look-ups/);
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    await page.unrouteAll({ behavior: "wait" });

    // Offline: the look-up cannot reach the server.
    await fay.context.setOffline(true);
    await box.fill("");
    await page.keyboard.type(gil.user.name);
    await expect
      .poll(() => status.textContent(), { timeout: 10_000 })
      .toBe("Could not look people up. Try again.");
    await fay.context.setOffline(false);

    // Back online the look-up works (once the budget has refilled: each try
    // is one look-up); a DM the server never answers is said so.
    await expect
      .poll(
        async () => {
          await box.fill("");
          await box.fill(gil.user.name);
          await expect.poll(() => status.textContent()).not.toBe("");
          return people(page, "New message").count();
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(1);
    await page.route("**/_serverFn/**", (route) =>
      route.request().method() === "POST" ? route.abort() : route.fallback(),
    );
    await page.keyboard.press("Enter");
    await expect
      .poll(() => dialog(page, "New message").getByRole("alert").textContent(), {
        timeout: 10_000,
      })
      .toBe("Could not open the conversation. Check the connection and try again.");
    // Nothing was lost: the query and the list are still there to try again.
    expect(await box.inputValue()).toBe(gil.user.name);
    await page.unrouteAll({ behavior: "wait" });
    await box.focus();
    await page.keyboard.press("Enter");
    await page
      .getByRole("heading", { level: 1, name: gil.user.name, exact: true })
      .waitFor({ timeout: 10_000 });
  });

  it("says an invite picked while offline was not sent, and sends it once back", async () => {
    const [fay, gil] = await Promise.all([openAs(suite, "Fay"), openAs(suite, "Gil")]);
    const network = await cuttableConnection(fay.context);
    await Promise.all([enter(fay.page, "/r/general"), enter(gil.page, "/r/general")]);
    const page = fay.page;
    await createRoom(page, `Offline ${randomUUID().slice(0, 6)}`);
    await pressOn(membersPanel(page).getByRole("button", { name: "Invite people" }));
    await searchBox(page, "Invite people").waitFor();
    await page.keyboard.type(gil.user.name);
    await people(page, "Invite people").first().waitFor({ timeout: 5_000 });

    // The page's own connection status (under the dialog) says when the socket is gone.
    const connection = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[role="status"]')].map((el) => el.textContent).join("|"),
      );
    await network.cut();
    await expect.poll(connection, { timeout: 10_000 }).toMatch(/Offline|Reconnecting/);
    await page.keyboard.press("Enter");
    const alert = dialog(page, "Invite people").getByRole("alert");
    await expect
      .poll(() => alert.textContent(), { timeout: 5_000 })
      .toBe(
        `You are offline: ${gil.user.name} was not invited. Try again when the connection is back.`,
      );

    await network.restore();
    await expect.poll(connection, { timeout: 15_000 }).toMatch(/Connected/);
    await page.keyboard.press("Enter");
    await dialog(page, "Invite people")
      .getByRole("status")
      .filter({ hasText: "was invited." })
      .waitFor({ timeout: 5_000 });
    // The refusal is gone with the success (an empty alert is not shown).
    expect(await alert.count()).toBe(0);
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
