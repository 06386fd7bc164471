import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeRuleViolations, scan, screenshotLightAndDark } from "./a11y";
import {
  anyRoomLink,
  chromiumAvailable,
  createRoom,
  cuttableConnection,
  enter,
  membersPanel,
  openAs,
  roomsNav,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

/** The room's own log ("Messages", not the thread's "Thread messages"). */
const messageLog = (page: Page) => page.getByRole("log", { name: "Messages", exact: true });
/** The message in the room's log whose text contains `text`. */
const messageItem = (page: Page, text: string) =>
  messageLog(page).getByRole("listitem").filter({ hasText: text });

/** Opens the "Message actions" menu of the message holding `text` from the keyboard. */
async function openActions(page: Page, text: string) {
  await messageItem(page, text).getByRole("button", { name: "Message actions" }).focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu", { name: "Message actions" });
  await menu.waitFor();
  return menu;
}

describe.skipIf(!available)("accessibility of every screen, light and dark", () => {
  const suite = useBrowserSuite();

  it("sign-in and sign-up pages", async () => {
    const { page, problems } = await suite.open();
    await visit(page, "/sign-in");
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await scan(page, "sign-in");
    await visit(page, "/sign-up");
    await page.getByRole("button", { name: "Create account" }).waitFor();
    await scan(page, "sign-up");
    expect(problems.pageErrors).toEqual([]);
  });

  it("a room and everything opened from it", { timeout: 180_000 }, async () => {
    const [a, b] = await Promise.all([openAs(suite, "Ada"), openAs(suite, "Ben")]);
    // Before the page opens its socket, so the last screen can show a pending message.
    const network = await cuttableConnection(a.context);
    const tag = uniqueTag();
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Access ${tag}`);
    await enter(b.page, path);

    const root = `Release notes are drafted ${tag}`;
    const draft = `first wording ${tag}`;
    const fixed = `better wording ${tag}`;
    const theirs = `Looks good to me ${tag}`;
    await sendMessage(a.page, root);
    await sendMessage(a.page, draft);
    await sendMessage(b.page, theirs);
    await messageItem(a.page, theirs).waitFor({ timeout: 5_000 });

    // An edited message, a reaction on someone else's, a thread reply, a pin.
    let menu = await openActions(a.page, draft);
    await menu.getByRole("menuitem", { name: "Edit" }).click();
    const editor = a.page.getByRole("textbox", { name: "Edit message" });
    await editor.fill(fixed);
    await editor.press("Enter");
    await messageItem(a.page, fixed).getByText("(edited)").waitFor({ timeout: 5_000 });
    menu = await openActions(a.page, theirs);
    await menu.getByRole("menuitem", { name: "React" }).click();
    await a.page.getByRole("button", { name: "React 👍" }).click();
    await messageItem(a.page, theirs).getByRole("button", { name: "👍 1" }).waitFor();
    menu = await openActions(b.page, root);
    await menu.getByRole("menuitem", { name: "Reply in thread" }).click();
    const thread = b.page.getByRole("complementary", { name: "Thread" });
    await thread.getByRole("textbox", { name: "Reply" }).fill(`I will review them ${tag}`);
    await thread.getByRole("button", { name: "Send reply" }).click();
    await messageItem(a.page, root).getByRole("button", { name: "1 reply" }).waitFor();
    menu = await openActions(b.page, root);
    await menu.getByRole("menuitem", { name: "Pin" }).click();
    await messageItem(a.page, root).getByText("Pinned").waitFor({ timeout: 5_000 });

    // Away while Ben writes, so the room opens on the "New messages" divider.
    await enter(a.page, "/r/general");
    const later = `Shipping at noon ${tag}`;
    await sendMessage(b.page, later);
    await anyRoomLink(a.page, `Access ${tag}`)
      .and(a.page.getByRole("link", { name: /unread/ }))
      .waitFor();
    await scan(a.page, "room-unread");
    await enter(a.page, path);
    await messageItem(a.page, later).waitFor();
    await messageLog(a.page).getByRole("separator", { name: "New messages" }).waitFor();
    await membersPanel(a.page).getByRole("listitem").first().waitFor();
    await scan(a.page, "room");
    // Everything on the room page is inside a landmark (the wordmark was not).
    expect(await axeRuleViolations(a.page, ["region"])).toEqual([]);

    menu = await openActions(a.page, theirs);
    // The focused item shows a focus ring, not only a faint tint.
    const itemRing = await a.page.evaluate(
      () => document.activeElement && getComputedStyle(document.activeElement).outlineStyle,
    );
    expect(itemRing).toBe("solid");
    await scan(a.page, "actions-menu");
    await a.page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });

    await messageItem(a.page, root).getByRole("button", { name: "1 reply" }).click();
    const aThread = a.page.getByRole("complementary", { name: "Thread" });
    await aThread
      .getByRole("log", { name: "Thread messages" })
      .getByText("I will review")
      .waitFor();
    await scan(a.page, "thread");
    // With the thread and members open the header is narrow: nothing in it is cut off.
    const header = await a.page.locator("main > header").boundingBox();
    const signOut = await a.page.getByRole("button", { name: "Sign out" }).boundingBox();
    expect(signOut && header && signOut.x + signOut.width <= header.x + header.width).toBe(true);
    await aThread.getByRole("button", { name: "Close thread" }).click();
    await aThread.waitFor({ state: "detached" });

    await a.page.getByRole("button", { name: "Pinned messages" }).click();
    const pinned = a.page.getByRole("region", { name: "Pinned messages" });
    await pinned.getByRole("link").filter({ hasText: root }).waitFor();
    await scan(a.page, "pinned");
    await a.page.getByRole("button", { name: "Pinned messages" }).click();
    await pinned.waitFor({ state: "detached" });

    const search = a.page.getByRole("searchbox", { name: "Search messages" });
    await search.fill(`${tag} in:access-${tag}`);
    await search.press("Enter");
    await a.page.getByRole("list", { name: "Search results" }).getByRole("link").first().waitFor();
    await scan(a.page, "search-results");
    await a.page.getByRole("button", { name: "Search help" }).click();
    await a.page.getByRole("dialog", { name: "Search operators" }).waitFor();
    await scan(a.page, "search-help");
    await a.page.keyboard.press("Escape");

    await a.page.getByRole("button", { name: "Keyboard shortcuts" }).click();
    const shortcuts = a.page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await shortcuts.waitFor();
    await scan(a.page, "shortcuts");
    await a.page.keyboard.press("Escape");
    await shortcuts.waitFor({ state: "detached" });
    await a.page.keyboard.press("Control+k");
    const jump = a.page.getByRole("dialog", { name: "Jump to room" });
    await jump.getByRole("combobox").waitFor();
    await scan(a.page, "jump-to-room");
    await a.page.keyboard.press("Escape");
    await jump.waitFor({ state: "detached" });

    // Offline: the message waits in the log as "Sending…".
    await network.cut();
    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.fill(`written offline ${tag}`);
    await box.press("Enter");
    await messageItem(a.page, `written offline ${tag}`).getByText("Sending…").waitFor();
    await scan(a.page, "pending");
    await network.restore();

    await visit(a.page, "/threads");
    await a.page.getByRole("heading", { level: 1, name: "Threads" }).waitFor();
    await scan(a.page, "threads");
    expect(a.problems.pageErrors).toEqual([]);
  });

  it("formatted messages, the emoji picker and the Saved page", async () => {
    const { page } = await openAs(suite, "Fay");
    await enter(page, "/r/general");
    const tag = uniqueTag();
    await createRoom(page, `Formats ${tag}`);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill(
      [
        `**bold ${tag}**, _italic_, ~~struck~~ and \`inline\` code, see https://example.com`,
        "```ts",
        "const answer: number = 42; // the answer",
        "```",
        "> quoted",
        "- one",
        "- two",
      ].join("\n"),
    );
    await box.press("Enter");
    const item = messageItem(page, `bold ${tag}`);
    // Highlighting comes with a lazily loaded chunk: scan once it is there.
    await item.locator("pre > code span.hljs-keyword").first().waitFor({ timeout: 10_000 });
    await scan(page, "formatted");

    const menu = await openActions(page, `bold ${tag}`);
    await menu.getByRole("menuitem", { name: "React" }).click();
    await page.getByRole("button", { name: "More reactions" }).click();
    const picker = page.getByRole("dialog", { name: "Pick a reaction" });
    await picker.getByRole("searchbox", { name: "Search emoji" }).fill("rocket");
    await picker.getByText(/emoji found/).waitFor({ timeout: 10_000 });
    await scan(page, "emoji-picker");
    await picker.getByRole("button", { name: "Close" }).click();
    await picker.waitFor({ state: "detached" });

    const again = await openActions(page, `bold ${tag}`);
    await again.getByRole("menuitem", { name: "Save" }).click();
    await visit(page, "/saved");
    await page.getByRole("main").getByText(`bold ${tag}`).first().waitFor();
    await scan(page, "saved");
  });

  it("a phone-sized room, and its members sheet", async () => {
    const { page, problems } = await openAs(suite, "Pho");
    await page.setViewportSize({ width: 390, height: 760 });
    await enter(page, "/r/general");
    await sendMessage(page, `from a phone ${uniqueTag()}`);
    await scan(page, "phone-room");
    await page.getByRole("button", { name: "Members" }).click();
    await membersPanel(page).getByRole("listitem").first().waitFor();
    await scan(page, "phone-members");
    expect(problems.pageErrors).toEqual([]);
  });

  it("keyboard only: Tab goes through a room in order, with a visible focus ring", async () => {
    const [kit, lee] = await Promise.all([openAs(suite, "Kit"), openAs(suite, "Lee")]);
    const page = kit.page;
    await enter(page, "/r/general");
    const path = await createRoom(page, `Tabs ${uniqueTag()}`);
    // Someone else in the room, so the members panel has controls ("Message Lee …").
    await enter(lee.page, path);
    await membersPanel(page).getByRole("button").first().waitFor({ timeout: 5_000 });
    await sendMessage(page, "tab order check");
    // From the first link of the page (the nav's "Threads"), Tab visits each
    // region of the room in reading order: nav, header, log, composer, members.
    await roomsNav(page).getByRole("link", { name: "Threads", exact: true }).focus();
    const stops: string[] = ["nav"];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      const where = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "body";
        const areas: [string, string][] = [
          ["nav", 'nav[aria-label="Rooms"]'],
          ["header", "main > header"],
          ["log", '[role="log"][aria-label="Messages"]'],
          ["composer", "main form:has(textarea)"],
          ["members", 'aside[aria-label="Members"]'],
        ];
        const area = areas.find(([, selector]) => el.closest(selector))?.[0] ?? "other";
        const style = getComputedStyle(el);
        const ring = style.outlineStyle !== "none" || style.boxShadow !== "none";
        return ring ? area : `${area} (no ring: ${el.outerHTML.slice(0, 80)})`;
      });
      if (stops.at(-1) !== where) stops.push(where);
      if (where.startsWith("members")) break;
    }
    // Each region once, in order (the sidebar's Theme and shortcuts are "other").
    const areas = stops.map((s) => s.replace(/ \(no ring.*$/, "")).filter((s) => s !== "other");
    expect(areas, stops.join(" > ")).toEqual(["nav", "header", "log", "composer", "members"]);
    expect(stops.filter((s) => s.includes("(no ring"))).toEqual([]);

    // The thread panel is no trap: Tab leaves it (to Members), Shift+Tab comes back.
    const menu = await openActions(page, "tab order check");
    const reply = menu.getByRole("menuitem", { name: "Reply in thread" });
    for (let i = 0; i < 5 && !(await reply.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    const thread = page.getByRole("complementary", { name: "Thread" });
    const inThread = () => thread.evaluate((el) => el.contains(document.activeElement));
    await expect.poll(inThread).toBe(true);
    for (let i = 0; i < 10 && (await inThread()); i++) await page.keyboard.press("Tab");
    expect(await membersPanel(page).evaluate((el) => el.contains(document.activeElement))).toBe(
      true,
    );
    await page.keyboard.press("Shift+Tab");
    expect(await inThread()).toBe(true);
    await screenshotLightAndDark(page, "a11y-thread-focus");
  });
});
