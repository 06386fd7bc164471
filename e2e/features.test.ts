import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { connect } from "../test/helpers/clients";
import {
  anyRoomLink,
  chromiumAvailable,
  createRoom,
  enter,
  expectCount,
  memberEntry,
  membersPanel,
  messageItem,
  messageLog,
  openAs,
  roomLink,
  roomsNav,
  sendMessage,
  type TestUser,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/** Opens a message's "Message actions" menu and returns the menu. */
async function openActions(page: Page, text: string): Promise<Locator> {
  await messageItem(page, text).getByRole("button", { name: "Message actions" }).click();
  const menu = page.getByRole("menu", { name: "Message actions" });
  await menu.waitFor();
  return menu;
}

/** The names of a menu's items, in order. */
async function menuItems(menu: Locator): Promise<string[]> {
  return (await menu.getByRole("menuitem").allTextContents()).map((t) => t.trim());
}

/** Whether the element is inside both the window and its scrolling container. */
async function isInView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const rect = el.getBoundingClientRect();
    let box = { top: 0, bottom: window.innerHeight };
    for (let node = el.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) {
        const r = node.getBoundingClientRect();
        box = { top: Math.max(box.top, r.top), bottom: Math.min(box.bottom, r.bottom) };
        break;
      }
    }
    return rect.height > 0 && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
  });
}

/** The session cookie of a signed-in page, as a Cookie header. */
async function sessionCookie(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "better-auth.session_token");
  if (!session) throw new Error("the page has no session cookie");
  return `${session.name}=${session.value}`;
}

describe.skipIf(!available)("features", () => {
  const suite = useBrowserSuite();

  /** A and B signed in, both in a new room that A created. */
  async function twoInRoom(prefix: string) {
    const [a, b] = await Promise.all([openAs(suite, "Ann"), openAs(suite, "Bo")]);
    const tag = uniqueTag();
    const name = `${prefix} ${tag}`;
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, name);
    await enter(b.page, path);
    return { a, b, alice: a.user, bob: b.user, tag, name, path };
  }

  it("shows '<name> is typing…' to the others and hides it about 5 s after they stop", async () => {
    const { a, b, alice } = await twoInRoom("Typing");
    const indicator = b.page.getByText(`${alice.name} is typing…`, { exact: true });
    expect(await indicator.count()).toBe(0);

    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.pressSequentially("thinking out lo", { delay: 40 });
    const stoppedAt = Date.now();
    await indicator.waitFor({ timeout: 5_000 });
    expect(await indicator.isVisible()).toBe(true);
    // Nobody is told about their own typing.
    expect(await a.page.getByText(/is typing…/).count()).toBe(0);

    // It stays while the typing is recent, then goes on its own.
    await b.page.waitForTimeout(Math.max(0, stoppedAt + 1_500 - Date.now()));
    expect(await indicator.isVisible()).toBe(true);
    await indicator.waitFor({ state: "detached", timeout: 8_000 });
    const goneAfter = Date.now() - stoppedAt;
    console.info(`typing indicator gone ${goneAfter} ms after the last keystroke`);
    expect(goneAfter).toBeGreaterThan(3_000);
    expect(goneAfter).toBeLessThan(8_000);
    // The draft was never sent.
    expect(await box.inputValue()).toBe("thinking out lo");
    expect(await messageLog(b.page).getByRole("listitem").count()).toBe(0);

    // Typing again shows it again; sending the message ends it at once.
    await box.pressSequentially("ud");
    await indicator.waitFor({ timeout: 5_000 });
    await box.press("Enter");
    await messageItem(b.page, "thinking out loud").waitFor({ timeout: 5_000 });
    await indicator.waitFor({ state: "detached", timeout: 1_000 });
  });

  it("lists the room's members as online or offline and shows B going offline", async () => {
    const { a, b, alice, bob } = await twoInRoom("Members");
    const panel = membersPanel(a.page);
    await memberEntry(a.page, alice.name, "online").waitFor({ timeout: 5_000 });
    await memberEntry(a.page, bob.name, "online").waitFor({ timeout: 5_000 });
    const entries = panel.getByRole("listitem");
    await expectCount(entries, 2);
    // Every entry says whether the person is there.
    expect(await panel.getByRole("listitem", { name: /, (online|offline)$/ }).count()).toBe(2);
    await memberEntry(b.page, alice.name, "online").waitFor({ timeout: 5_000 });

    await b.page.close();
    await memberEntry(a.page, bob.name, "offline").waitFor({ timeout: 5_000 });
    expect(await memberEntry(a.page, bob.name, "online").count()).toBe(0);
    expect(await memberEntry(a.page, alice.name, "online").count()).toBe(1);
    await expectCount(entries, 2);
  });

  it("edits, deletes and reacts through the Message actions menu, live for the other reader", async () => {
    const { a, b, tag } = await twoInRoom("Actions");
    const original = `original wording ${tag}`;
    const edited = `better wording ${tag}`;
    await sendMessage(a.page, original);
    await messageItem(b.page, original).waitFor({ timeout: 5_000 });

    // The author's menu: Edit, Delete, React, Reply in thread, Pin, Save.
    // Others may react, reply, pin and save.
    let menu = await openActions(a.page, original);
    expect(await menuItems(menu)).toEqual([
      "Edit",
      "Delete",
      "React",
      "Reply in thread",
      "Pin",
      "Save",
    ]);
    await a.page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    const otherMenu = await openActions(b.page, original);
    expect(await menuItems(otherMenu)).toEqual(["React", "Reply in thread", "Pin", "Save"]);
    await b.page.keyboard.press("Escape");

    // Edit: B sees the new text with "(edited)".
    menu = await openActions(a.page, original);
    await menu.getByRole("menuitem", { name: "Edit" }).click();
    const editor = a.page.getByRole("textbox", { name: "Edit message" });
    await editor.fill(edited);
    await editor.press("Enter");
    const bItem = messageItem(b.page, edited);
    await bItem.waitFor({ timeout: 5_000 });
    await bItem.getByText("(edited)").waitFor({ timeout: 5_000 });
    await expectCount(messageItem(b.page, original), 0);
    await messageItem(a.page, edited).getByText("(edited)").waitFor({ timeout: 5_000 });

    // React: A adds 👍, B sees "👍 1"; B joins in (2), then both take it back.
    menu = await openActions(a.page, edited);
    await menu.getByRole("menuitem", { name: "React" }).click();
    await a.page.getByRole("button", { name: "React 👍" }).click();
    const bThumbs = bItem.getByRole("button", { name: /^👍 \d+$/ });
    await bItem.getByRole("button", { name: "👍 1", exact: true }).waitFor({ timeout: 5_000 });
    expect(await bThumbs.getAttribute("aria-pressed")).toBe("false");
    await bThumbs.click();
    const aItem = messageItem(a.page, edited);
    await aItem.getByRole("button", { name: "👍 2", exact: true }).waitFor({ timeout: 5_000 });
    await bItem.getByRole("button", { name: "👍 2", exact: true }).waitFor({ timeout: 5_000 });
    expect(await bThumbs.getAttribute("aria-pressed")).toBe("true");
    await bThumbs.click();
    await aItem.getByRole("button", { name: "👍 1", exact: true }).waitFor({ timeout: 5_000 });
    // A toggles its own reaction off: no 👍 left on either side.
    await aItem.getByRole("button", { name: "👍 1", exact: true }).click();
    await expectCount(bThumbs, 0, 5_000);
    await expectCount(aItem.getByRole("button", { name: /^👍/ }), 0, 5_000);

    // Delete: B sees "Message deleted" instead of the text.
    menu = await openActions(a.page, edited);
    await menu.getByRole("menuitem", { name: "Delete" }).click();
    // Delete asks first (issue 17).
    await a.page
      .getByRole("dialog", { name: "Delete message?" })
      .getByRole("button", { name: "Delete", exact: true })
      .click();
    await messageLog(b.page).getByText("Message deleted").waitFor({ timeout: 5_000 });
    await expectCount(messageItem(b.page, edited), 0);
    await messageLog(a.page).getByText("Message deleted").waitFor({ timeout: 5_000 });
    expect([...a.dialogs, ...b.dialogs]).toEqual([]);
  });

  it("finds an older message with Search messages and opens its room with it in view", async () => {
    const { page } = await openAs(suite, "Sam");
    await enter(page, "/r/general");
    const tag = uniqueTag();
    const roomName = `Archive ${tag}`;
    const path = await createRoom(page, roomName);
    const word = `zephyr${tag}`;
    const needle = `the ${word} plan is on the wiki`;
    await sendMessage(page, needle);

    // Sixty later messages push it out of the latest page.
    const socket = await connect(suite.server.url, await sessionCookie(page));
    const ready = socket.frames[0] as unknown as { rooms: { id: string; slug: string }[] };
    const roomId = ready.rooms.find((r) => `/r/${r.slug}` === path)?.id;
    expect(roomId).toBeDefined();
    for (let i = 0; i < 60; i++) {
      socket.send({ type: "send", roomId, clientId: `filler-${tag}-${i}`, text: `filler ${i}` });
    }
    await socket.next((f) => f.type === "ack" && f.clientId === `filler-${tag}-59`, 10_000);
    socket.close();

    await enter(page, "/r/general");
    const search = page.getByRole("searchbox", { name: "Search messages" });
    await search.fill(word);
    await search.press("Enter");
    const results = page.getByRole("list", { name: "Search results" });
    await results.waitFor({ timeout: 5_000 });
    const hits = results.getByRole("link");
    await expectCount(hits, 1);
    expect(await hits.first().textContent()).toContain(needle);
    expect(await hits.first().textContent()).toContain(roomName);

    await hits.first().click();
    await page.waitForURL((url) => url.pathname === path && url.searchParams.has("m"));
    await page.getByRole("heading", { level: 1, name: roomName }).waitFor({ timeout: 5_000 });
    const found = messageItem(page, needle);
    await found.waitFor({ timeout: 5_000 });
    await expect.poll(() => isInView(found), { timeout: 5_000 }).toBe(true);
    // The newest message is not loaded yet or out of view: we are at the old one.
    const newest = messageItem(page, "filler 59");
    expect((await newest.count()) === 0 || !(await isInView(newest))).toBe(true);

    // From inside the room, scrolled to its newest message, a hit jumps back as well.
    await enter(page, path);
    await expect.poll(() => isInView(newest), { timeout: 5_000 }).toBe(true);
    expect(await found.count()).toBe(0);
    await search.fill(word);
    await search.press("Enter");
    await expectCount(hits, 1);
    await hits.first().click();
    await page.waitForURL((url) => url.pathname === path && url.searchParams.has("m"));
    await found.waitFor({ timeout: 5_000 });
    await expect.poll(() => isInView(found), { timeout: 5_000 }).toBe(true);
    expect(await isInView(newest)).toBe(false);
  });

  it("names room links with their unread count and ', mentioned' for a mention", async () => {
    const tag = uniqueTag();
    // A name without spaces, so "@<name>" is exactly what people type.
    const reader: TestUser = {
      name: `Mia${tag}`,
      email: `mia-${tag}@example.test`,
      password: "correct horse battery",
    };
    const [r, w] = await Promise.all([openAs(suite, reader), openAs(suite, "Wes")]);
    const roomName = `Counting ${tag}`;
    await enter(w.page, "/r/general");
    const path = await createRoom(w.page, roomName);
    // The reader joins the room, then waits in general.
    await enter(r.page, path);
    await anyRoomLink(r.page, "general").click();
    await r.page.getByRole("heading", { level: 1, name: "general" }).waitFor();
    await roomLink(r.page, roomName).waitFor();

    for (const n of [1, 2, 3]) await sendMessage(w.page, `note ${n} ${tag}`);
    await roomLink(r.page, `${roomName}, 3 unread`).waitFor({ timeout: 5_000 });

    await sendMessage(w.page, `@${reader.name} hello`);
    await roomLink(r.page, `${roomName}, 4 unread, mentioned`).waitFor({ timeout: 5_000 });
    // The server remembers it too.
    await enter(r.page, "/r/general");
    await roomLink(r.page, `${roomName}, 4 unread, mentioned`).waitFor({ timeout: 5_000 });

    // Reading the room clears both.
    await roomLink(r.page, `${roomName}, 4 unread, mentioned`).click();
    await r.page.waitForURL(`**${path}`);
    await messageItem(r.page, "hello").waitFor();
    await roomLink(r.page, roomName).waitFor({ timeout: 5_000 });
  });

  it("opens a direct message from Members, delivers it live, and hides it from a third person", async () => {
    const [a, b, c] = await Promise.all([
      openAs(suite, "Dora"),
      openAs(suite, "Eli"),
      openAs(suite, "Fay"),
    ]);
    const [alice, bob] = [a.user, b.user];
    await Promise.all([enter(a.page, "/r/general"), enter(b.page, "/r/general")]);
    const tag = uniqueTag();
    const bDms = roomsNav(b.page).getByRole("group", { name: "Direct messages" });
    expect(await bDms.getByRole("link").count()).toBe(0);

    await membersPanel(a.page)
      .getByRole("button", { name: `Message ${bob.name}` })
      .click();
    await a.page.waitForURL((url) => url.pathname !== "/r/general");
    const dmPath = new URL(a.page.url()).pathname;
    await a.page.getByRole("heading", { level: 1, name: bob.name }).waitFor({ timeout: 5_000 });
    await roomsNav(a.page)
      .getByRole("group", { name: "Direct messages" })
      .getByRole("link", { name: bob.name, exact: true })
      .waitFor({ timeout: 5_000 });

    // B, who has not opened it, sees the DM appear live, named after A.
    await bDms.getByRole("link", { name: alice.name, exact: true }).waitFor({ timeout: 5_000 });

    const text = `just between us ${tag}`;
    await sendMessage(a.page, text);
    const unread = bDms.getByRole("link", { name: `${alice.name}, 1 unread`, exact: true });
    await unread.waitFor({ timeout: 5_000 });
    await unread.click();
    await b.page.waitForURL(`**${dmPath}`);
    await messageItem(b.page, text).waitFor({ timeout: 5_000 });
    await expectCount(messageItem(b.page, text), 1);

    // B answers; A sees it live.
    await sendMessage(b.page, `noted ${tag}`);
    await messageItem(a.page, `noted ${tag}`).waitFor({ timeout: 5_000 });

    // A third person cannot open it.
    const response = await c.page.goto(dmPath);
    await c.page.getByRole("heading", { name: "No such room" }).waitFor({ timeout: 5_000 });
    expect(response?.status()).toBe(404);
    expect(await c.page.getByText(text).count()).toBe(0);
  });
});
