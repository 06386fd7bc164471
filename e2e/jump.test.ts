import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { connect, getPage, signUp } from "../test/helpers/clients";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  messageItem,
  messageLog,
  openAs,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/** Whether the element is inside its scrolling container's visible box. */
function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    let node = el.parentElement;
    while (node && !/(auto|scroll)/.test(getComputedStyle(node).overflowY))
      node = node.parentElement;
    if (!node) return false;
    const box = node.getBoundingClientRect();
    const rect = el.getBoundingClientRect();
    return rect.bottom > box.top && rect.top < box.bottom;
  });
}

describe.skipIf(!available)("jump buttons", () => {
  const suite = useBrowserSuite();

  it("'Jump to first unread' shows while the divider is off screen, 'Jump to latest' while scrolled up", async () => {
    const { page, problems } = await openAs(suite, "Reader");
    await enter(page, "/r/general");
    const tag = uniqueTag();
    const path = await createRoom(page, `Busy ${tag}`);
    await enter(page, "/r/general");

    // Someone else fills the room while the reader is elsewhere.
    const writer = await signUp(suite.server.url, { name: `Writer-${tag}` });
    await getPage(suite.server.url, path, writer.cookie);
    const socket = await connect(suite.server.url, writer.cookie);
    const ready = socket.frames[0] as unknown as { rooms: { id: string; slug: string }[] };
    const roomId = ready.rooms.find((r) => `/r/${r.slug}` === path)?.id;
    expect(roomId).toBeDefined();
    for (let i = 0; i < 60; i++) {
      socket.send({ type: "send", roomId, clientId: `busy-${tag}-${i}`, text: `busy line ${i}` });
    }
    await socket.next((f) => f.type === "ack" && f.clientId === `busy-${tag}-59`, 10_000);
    socket.close();

    await enter(page, path);
    await messageItem(page, "busy line 59").waitFor();
    const firstUnread = page.getByRole("button", { name: "Jump to first unread" });
    const latest = page.getByRole("button", { name: "Jump to latest" });
    const divider = messageLog(page).getByRole("separator", { name: "New messages" });
    // Opened at the newest message: the divider is far above.
    await firstUnread.waitFor();
    expect(await inView(divider)).toBe(false);
    expect(await latest.count()).toBe(0);
    // The divider sits between the log's lists, not in one (axe's "list" rule).
    expect(await seriousAxeViolations(page, "main")).toEqual([]);

    await firstUnread.click();
    await expect.poll(() => inView(divider)).toBe(true);
    await expect.poll(() => firstUnread.count()).toBe(0);
    expect(await inView(messageItem(page, "busy line 0"))).toBe(true);
    await latest.waitFor();
    await screenshotLightAndDark(page, "jump-to-latest");

    await latest.click();
    await expect.poll(() => inView(messageItem(page, "busy line 59"))).toBe(true);
    await expect.poll(() => latest.count()).toBe(0);
    // The divider is off screen again, so its button is back.
    await firstUnread.waitFor();

    // Scrolling up by hand shows "Jump to latest" too.
    await messageLog(page).hover();
    await page.mouse.wheel(0, -600);
    await latest.waitFor();
    expect(problems.pageErrors).toEqual([]);
  });

  it("shows neither button in a short room with nothing unread", async () => {
    const { page } = await openAs(suite, "Calm");
    await enter(page, "/r/general");
    await createRoom(page, `Calm ${uniqueTag()}`);
    expect(await page.getByRole("button", { name: "Jump to first unread" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Jump to latest" }).count()).toBe(0);
  });
});
