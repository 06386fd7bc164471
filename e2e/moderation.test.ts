import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { httpFrom } from "../test/helpers/http-from";
import { seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  memberEntry,
  messageItem,
  messageLog,
  openAs,
  sendMessage,
  type TestUser,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/**
 * Keyboard only: focuses `button`, opens its menu with Enter (again, under
 * load, until it is open), then moves with the arrow keys to `item`.
 * Leaves the menu open with the item focused.
 */
async function focusMenuItem(page: Page, button: Locator, menu: Locator, item: string) {
  await expect
    .poll(
      async () => {
        if (await menu.isVisible()) return true;
        await button.focus();
        await page.keyboard.press("Enter");
        await menu.waitFor({ timeout: 2_000 }).catch(() => undefined);
        return menu.isVisible();
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  const count = await menu.getByRole("menuitem").count();
  for (let step = 0; step < count; step++) {
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    if (focused === item) break;
    await page.keyboard.press("ArrowDown");
  }
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(item);
}

/** The "Member actions" button and menu of `name`'s entry in the members list. */
function memberActions(page: Page, name: string) {
  return {
    button: memberEntry(page, name, "online").getByRole("button", { name: "Member actions" }),
    menu: page.getByRole("menu", { name: "Member actions" }),
  };
}

// Issue 14: a room's moderator (its creator) and a server admin moderate in
// a real browser: the message actions "Delete", the members' menu.
describe.skipIf(!available)("moderation in the browser", () => {
  const suite = useBrowserSuite();
  let ownerUser: TestUser;

  /** A page signed in as the owner (through the API: the owner exists already). */
  async function asOwner(path: string) {
    const opened = await suite.open();
    const answer = await httpFrom(suite.server.url, "/api/auth/sign-in/email", {
      body: { email: ownerUser.email, password: ownerUser.password },
    });
    const [name, ...rest] = (answer.cookie ?? "").split("=");
    await opened.context.addCookies([
      { name: name ?? "", value: rest.join("="), url: suite.server.url, httpOnly: true },
    ]);
    await enter(opened.page, path);
    return opened;
  }

  it("the first sign-up is the owner (so the people below are members)", async () => {
    const owner = await openAs(suite, "Owner");
    ownerUser = owner.user;
    await enter(owner.page, "/r/general");
    await owner.page.getByRole("link", { name: "Admin", exact: true }).first().waitFor();
  });

  it("a moderator deletes another's message and mutes them, by keyboard", {
    timeout: 120_000,
  }, async () => {
    const [mod, member] = await Promise.all([openAs(suite, "Mona"), openAs(suite, "Ned")]);
    const tag = uniqueTag();
    await enter(mod.page, "/r/general");
    const path = await createRoom(mod.page, `Moderated ${tag}`);
    await enter(member.page, path);
    const text = `an off-topic message ${tag}`;
    await sendMessage(member.page, text);
    await messageItem(mod.page, text).waitFor({ timeout: 5_000 });

    // "Delete" in the message actions menu, then the confirmation.
    const actions = messageItem(mod.page, text).getByRole("button", { name: "Message actions" });
    const actionsMenu = mod.page.getByRole("menu", { name: "Message actions" });
    await focusMenuItem(mod.page, actions, actionsMenu, "Delete");
    await mod.page.keyboard.press("Enter");
    const confirm = mod.page.getByRole("dialog", { name: "Delete message?" });
    await confirm.waitFor();
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await confirm.waitFor({ state: "detached" });
    for (const page of [mod.page, member.page]) {
      await messageLog(page)
        .getByText("Message deleted by a moderator")
        .waitFor({ timeout: 5_000 });
      expect(await messageLog(page).getByText(text).count()).toBe(0);
    }

    // The member's menu, keyboard only: open, check it, mute.
    const { button, menu } = memberActions(mod.page, member.user.name);
    await focusMenuItem(mod.page, button, menu, "Mute in room");
    const labels = (await menu.getByRole("menuitem").allTextContents()).map((t) => t.trim());
    expect(labels).toEqual(["Remove from room", "Ban from room", "Mute in room", "Make moderator"]);
    expect(
      await seriousAxeViolations(mod.page, '[role="menu"][aria-label="Member actions"]'),
    ).toEqual([]);
    expect(await seriousAxeViolations(mod.page, 'aside[aria-label="Members"]')).toEqual([]);
    const dir = join("docs", "issue-14");
    mkdirSync(dir, { recursive: true });
    for (const scheme of ["light", "dark"] as const) {
      await mod.page.emulateMedia({ colorScheme: scheme });
      await expect
        .poll(() => mod.page.evaluate(() => document.documentElement.classList.contains("dark")))
        .toBe(scheme === "dark");
      await mod.page.screenshot({ path: join(dir, `members-menu-${scheme}.png`) });
    }
    await mod.page.emulateMedia({ colorScheme: null });
    await mod.page.keyboard.press("Enter");
    await menu.waitFor({ state: "detached" });
    // Focus comes back to the menu's button.
    await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);

    await member.page.getByText("A moderator muted you in this room.").waitFor({ timeout: 5_000 });
    await memberEntry(mod.page, member.user.name, "online").getByText("muted").waitFor();
    // Escape closes the menu without acting and gives focus back.
    await mod.page.keyboard.press("Enter");
    await menu.waitFor();
    expect(await menu.getByRole("menuitem", { name: "Unmute in room" }).count()).toBe(1);
    await mod.page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(mod.problems.pageErrors).toEqual([]);
    expect(member.problems.pageErrors).toEqual([]);
  });

  it("an admin who does not moderate the room gets the members menu too", {
    timeout: 60_000,
  }, async () => {
    const [creator, member] = await Promise.all([openAs(suite, "Cleo"), openAs(suite, "Dev")]);
    const tag = uniqueTag();
    await enter(creator.page, "/r/general");
    const path = await createRoom(creator.page, `Admin reach ${tag}`);
    await enter(member.page, path);
    // A plain member sees no menu beside the creator.
    await memberEntry(member.page, creator.user.name, "online").waitFor({ timeout: 5_000 });
    expect(
      await memberActions(member.page, creator.user.name).button.count(),
      "a member has no Member actions",
    ).toBe(0);
    // The owner (a server admin, only a member of the room) has it, and it works.
    const owner = await asOwner(path);
    const { button, menu } = memberActions(owner.page, member.user.name);
    await focusMenuItem(owner.page, button, menu, "Mute in room");
    await owner.page.keyboard.press("Enter");
    await menu.waitFor({ state: "detached" });
    await member.page.getByText("A moderator muted you in this room.").waitFor({ timeout: 5_000 });
    expect(owner.problems.pageErrors).toEqual([]);
  });
});
