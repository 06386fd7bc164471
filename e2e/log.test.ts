import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { dayKey, dayLabel } from "../src/client/log-dates";
import { connect, getPage, signUp, type TestSocket } from "../test/helpers/clients";
import { openDb } from "../test/helpers/integration-extra";
import { scan } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  expectCount,
  messageItem,
  messageLog,
  openAs,
  sendMessage,
  signUpInto,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();
const SHOTS = "/work/notes/shots";

/** What has focus: its tag, its message seq if it is one, its name and a bit of its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? "",
      seq: el?.dataset.seq ?? null,
      name: el?.getAttribute("aria-label") ?? "",
      text: el?.textContent?.slice(0, 200) ?? "",
    };
  });

/** A zone where it is between 03:00 and 21:00 now, so "the last 20 minutes" never crosses midnight. */
function daytimeZone(): string {
  const zones = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles"];
  for (const zone of zones) {
    const hour = Number(
      new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hour: "numeric",
        hourCycle: "h23",
      }).format(new Date()),
    );
    if (hour >= 3 && hour < 21) return zone;
  }
  return "UTC";
}

/** A writer of the room at `path`, through a socket (faster than a page). */
async function writer(url: string, path: string, name: string) {
  const account = await signUp(url, { name, email: `w-${uniqueTag()}@example.test` });
  await getPage(url, path, account.cookie);
  const socket = await connect(url, account.cookie);
  const ready = socket.frames[0] as unknown as { rooms: { id: string; slug: string }[] };
  const roomId = ready.rooms.find((r) => `/r/${r.slug}` === path)?.id ?? "";
  expect(roomId).not.toBe("");
  return { socket, roomId };
}

/** Sends `text` and waits for its ack; returns the stored seq. */
async function say(socket: TestSocket, roomId: string, text: string): Promise<number> {
  const clientId = `c-${uniqueTag()}`;
  socket.send({ type: "send", roomId, clientId, text });
  const ack = await socket.next((f) => f.type === "ack" && f.clientId === clientId, 10_000);
  const seq = Number((ack.message as { seq?: number } | undefined)?.seq);
  expect(seq).toBeGreaterThan(0);
  return seq;
}

/** Opens the actions menu of the message with `text` from the keyboard and presses `item`. */
async function menu(page: Page, text: string, item: string) {
  await messageItem(page, text).getByRole("button", { name: "Message actions" }).focus();
  await page.keyboard.press("Enter");
  const entry = page.getByRole("menu", { name: "Message actions" }).getByRole("menuitem", {
    name: item,
    exact: true,
  });
  for (let i = 0; i < 10 && !(await entry.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("ArrowDown");
  }
  await page.keyboard.press("Enter");
}

describe.skipIf(!available)("a scannable log", () => {
  const suite = useBrowserSuite();

  it("shows date dividers and groups one author's messages, seeded across days", async () => {
    const zone = daytimeZone();
    const tag = uniqueTag();
    const host = await openAs(suite, `Host-${tag}`);
    await enter(host.page, "/r/general");
    const path = await createRoom(host.page, `Days ${tag}`);
    await host.context.close();

    const ada = await writer(suite.server.url, path, `Ada${tag} Lovelace`);
    const bo = await writer(suite.server.url, path, `Bo${tag} Okafor`);
    const now = Date.now();
    const minute = 60_000;
    const day = 24 * 60 * minute;
    // [author, text, when]; stamped afterwards in the database (the server stamps created_at).
    const plan: [typeof ada, string, number][] = [
      [ada, `old one ${tag}`, now - 3 * day],
      [ada, `old two ${tag}`, now - 3 * day + minute],
      [bo, `yesterday ${tag}`, now - day],
      [ada, `today one ${tag}`, now - 20 * minute],
      [ada, `today two ${tag}`, now - 18 * minute],
      [ada, "🎉🎉", now - 17 * minute],
      [bo, `bo reply ${tag}`, now - 16 * minute],
      [ada, `later ${tag}`, now - 5 * minute],
      [ada, `next ${tag}`, now - 4 * minute],
    ];
    const seqs: number[] = [];
    for (const [who, text] of plan) seqs.push(await say(who.socket, who.roomId, text));
    const db = openDb(suite.server.dataDir);
    try {
      const stamp = db.prepare("UPDATE message SET created_at = ? WHERE room_id = ? AND seq = ?");
      plan.forEach(([, , when], i) => {
        stamp.run(when, ada.roomId, seqs[i] ?? 0);
      });
    } finally {
      db.close();
    }
    ada.socket.close();
    bo.socket.close();

    const reader = await suite.open({ timezoneId: zone, locale: "en-US" });
    await signUpInto(reader.context, suite.server.url, `Reader-${tag}`);
    await enter(reader.page, path);
    const log = messageLog(reader.page);
    await messageItem(reader.page, `next ${tag}`).waitFor();

    // The dividers: one per day, named by the day in the reader's zone.
    const expected: string[] = [];
    let lastDay = "";
    for (const [, , when] of plan) {
      const key = dayKey(new Date(when), zone);
      if (key !== lastDay) expected.push(dayLabel(new Date(when), new Date(), zone, "en-US"));
      lastDay = key;
    }
    const dividers = log.getByRole("separator");
    await expect
      .poll(async () =>
        (await dividers.evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")))).filter(
          (name) => name !== "New messages",
        ),
      )
      .toEqual(expected);
    expect(expected.at(-1)).toBe("Today");
    expect(expected).toContain("Yesterday");
    expect(expected[0]).toMatch(/^[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}(, \d{4})?$/);

    // Groups: a header (with the avatar's initials) only where a group starts.
    const starts = async (text: string) =>
      (await messageItem(reader.page, text).getAttribute("data-group-start")) === "true";
    expect(await starts(`old one ${tag}`)).toBe(true);
    expect(await starts(`old two ${tag}`)).toBe(false);
    expect(await starts(`yesterday ${tag}`)).toBe(true);
    expect(await starts(`today one ${tag}`)).toBe(true);
    expect(await starts(`today two ${tag}`)).toBe(false);
    expect(await starts(`bo reply ${tag}`)).toBe(true);
    expect(await starts(`later ${tag}`)).toBe(true); // 11 minutes after Ada's last
    expect(await starts(`next ${tag}`)).toBe(false);
    expect(await messageItem(reader.page, `today one ${tag}`).textContent()).toContain("AL");
    expect(await messageItem(reader.page, `today two ${tag}`).textContent()).not.toContain(
      "Lovelace",
    );

    // Emoji alone are larger.
    const big = log.locator("[data-emoji-only]");
    expect(await big.textContent()).toBe("🎉🎉");
    const size = await big.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    const normal = await messageItem(reader.page, `today two ${tag}`)
      .locator("p")
      .first()
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThan(normal * 1.5);

    // Times carry the full date: the title on hover and a hidden full form for screen readers.
    const time = messageItem(reader.page, `old one ${tag}`).locator("time").first();
    const title = await time.getAttribute("title");
    expect(title).toMatch(/\d{4}/);
    expect(await time.textContent()).toContain(title ?? "no title");

    // axe on the busy room, light and dark, and the screenshots.
    await scan(reader.page, "17-log-busy-room");
    await reader.page.setViewportSize({ width: 1280, height: 800 });
    for (const scheme of ["light", "dark"] as const) {
      await reader.page.emulateMedia({ colorScheme: scheme });
      await reader.page.screenshot({ path: join(SHOTS, `17-log-desktop-${scheme}.png`) });
    }
    await reader.page.setViewportSize({ width: 390, height: 844 });
    for (const scheme of ["light", "dark"] as const) {
      await reader.page.emulateMedia({ colorScheme: scheme });
      await reader.page.screenshot({ path: join(SHOTS, `17-log-phone-${scheme}.png`) });
    }
    await reader.page.emulateMedia({ colorScheme: null });
    await scan(reader.page, "17-log-busy-room-phone");
    expect(reader.problems.pageErrors).toEqual([]);
  });

  it("asks before deleting: Escape and Cancel keep it, Enter deletes; focus goes on", async () => {
    const { page, problems } = await openAs(suite, "Deleter");
    const tag = uniqueTag();
    await enter(page, "/r/general");
    const path = await createRoom(page, `Del ${tag}`);
    await enter(page, path);
    await sendMessage(page, `first ${tag}`);
    await sendMessage(page, `second ${tag}`);
    const first = messageItem(page, `first ${tag}`);
    const second = messageItem(page, `second ${tag}`);
    const dialog = page.getByRole("dialog", { name: "Delete message?" });

    // Escape cancels: nothing deleted, focus back on the message's actions.
    await menu(page, `first ${tag}`, "Delete");
    await dialog.waitFor();
    expect((await focused(page)).text).toBe("Delete");
    await scan(page, "17-log-delete-dialog");
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `17-log-delete-dialog-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: null });
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(async () => (await focused(page)).name).toBe("Message actions");
    expect((await focused(page)).text).toBe("⋯");
    expect(
      await first
        .getByRole("button", { name: "Message actions" })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);

    // Cancel too.
    await menu(page, `first ${tag}`, "Delete");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    // Nothing was deleted, on the server either: a reload still shows both.
    await enter(page, path);
    await first.waitFor();
    await second.waitFor();
    expect(await messageLog(page).getByText("Message deleted", { exact: true }).count()).toBe(0);

    // Enter confirms; focus goes to the next message.
    const secondSeq = await second.getAttribute("data-seq");
    await menu(page, `first ${tag}`, "Delete");
    await dialog.waitFor();
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "hidden" });
    await messageLog(page).getByText("Message deleted", { exact: true }).waitFor();
    await expect.poll(async () => (await focused(page)).seq).toBe(secondSeq);

    // The last message deleted: focus goes to the composer.
    await menu(page, `second ${tag}`, "Delete");
    await dialog.waitFor();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => messageLog(page).getByText("Message deleted", { exact: true }).count())
      .toBe(2);
    await expect
      .poll(async () => {
        const now = await focused(page);
        return `${now.tag} ${await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.id)}`;
      })
      .toMatch(/^textarea/);
    expect(
      await page
        .getByRole("textbox", { name: "Message" })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    expect(problems.pageErrors).toEqual([]);
  });

  it("the thread panel asks the same before deleting a reply, then focus goes to Reply", async () => {
    const { page, problems } = await openAs(suite, "Threader");
    const tag = uniqueTag();
    await enter(page, "/r/general");
    const path = await createRoom(page, `Thr ${tag}`);
    await enter(page, path);
    await sendMessage(page, `root ${tag}`);
    await menu(page, `root ${tag}`, "Reply in thread");
    const panel = page.getByRole("complementary", { name: "Thread" });
    const reply = panel.getByRole("textbox", { name: "Reply" });
    await expect.poll(() => reply.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(`a reply ${tag}`);
    await page.keyboard.press("Enter");
    const thread = panel.getByRole("log", { name: "Thread messages" });
    const answer = thread.getByRole("listitem").filter({ hasText: `a reply ${tag}` });
    await answer.waitFor();
    await expectCount(thread.getByText("Sending…"), 0);

    await answer.getByRole("button", { name: "Message actions" }).focus();
    await page.keyboard.press("Enter");
    const del = page.getByRole("menuitem", { name: "Delete", exact: true });
    for (let i = 0; i < 10 && !(await del.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Delete message?" });
    await dialog.waitFor();
    // Escape closes the dialog only, not the thread around it.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await panel.count()).toBe(1);
    expect(await thread.getByText("Message deleted", { exact: true }).count()).toBe(0);

    await answer.getByRole("button", { name: "Message actions" }).focus();
    await page.keyboard.press("Enter");
    for (let i = 0; i < 10 && !(await del.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await page.keyboard.press("Enter");
    await thread.getByText("Message deleted", { exact: true }).waitFor();
    // The last reply is gone: focus goes to the thread's own composer.
    await expect.poll(() => reply.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(problems.pageErrors).toEqual([]);
  });

  it("focus comes back to the message after reacting and editing", async () => {
    const { page, problems } = await openAs(suite, "Keys");
    const tag = uniqueTag();
    await enter(page, "/r/general");
    const path = await createRoom(page, `Keys ${tag}`);
    await enter(page, path);
    await sendMessage(page, `react to me ${tag}`);
    await sendMessage(page, `and after ${tag}`);
    const item = messageItem(page, `react to me ${tag}`);
    const actionsFocused = () =>
      item
        .getByRole("button", { name: "Message actions" })
        .evaluate((el) => el === document.activeElement);

    // A quick reaction.
    await menu(page, `react to me ${tag}`, "React");
    await page.getByRole("button", { name: "React 👍" }).waitFor();
    expect((await focused(page)).name).toBe("React 👍");
    await page.keyboard.press("Enter");
    const mine = item.getByRole("button", { name: "👍 1", exact: true });
    await mine.waitFor();
    await expect.poll(actionsFocused).toBe(true);

    // Taking it back from its own button removes the button: focus stays in the message.
    await mine.focus();
    await page.keyboard.press("Enter");
    await mine.waitFor({ state: "detached" });
    await expect.poll(actionsFocused).toBe(true);

    // Edit and save with Enter.
    await menu(page, `react to me ${tag}`, "Edit");
    const editor = page.getByRole("textbox", { name: "Edit message" });
    await editor.waitFor();
    await page.keyboard.type(" edited");
    await page.keyboard.press("Enter");
    await editor.waitFor({ state: "detached" });
    await messageItem(page, `react to me ${tag} edited`).waitFor();
    await expect.poll(actionsFocused).toBe(true);

    // Edit and cancel with Escape.
    await menu(page, `react to me ${tag}`, "Edit");
    await editor.waitFor();
    await page.keyboard.press("Escape");
    await editor.waitFor({ state: "detached" });
    await expect.poll(actionsFocused).toBe(true);
    expect(problems.pageErrors).toEqual([]);
  });

  it("opening a search hit puts focus on the message", async () => {
    const { page, problems } = await openAs(suite, "Seeker");
    const tag = uniqueTag();
    const word = `needle${tag.replace(/[^a-z0-9]/gi, "")}`;
    await enter(page, "/r/general");
    const path = await createRoom(page, `Hay ${tag}`);
    await enter(page, path);
    await sendMessage(page, `the ${word} is here`);
    for (let i = 0; i < 5; i++) await sendMessage(page, `hay ${i} ${tag}`);
    await enter(page, "/r/general");

    const box = page.getByRole("searchbox", { name: "Search messages" });
    await box.fill(word);
    await box.press("Enter");
    const hit = page.getByRole("list", { name: "Search results" }).getByRole("link").first();
    await hit.waitFor();
    await hit.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === path);
    const target = messageItem(page, `the ${word} is here`);
    await target.waitFor();
    await expect
      .poll(() => target.evaluate((el) => el === document.activeElement), { timeout: 5_000 })
      .toBe(true);
    expect(problems.pageErrors).toEqual([]);
  });

  it("'Jump to latest' says how many arrived while scrolled up", async () => {
    const tag = uniqueTag();
    const { page, problems } = await openAs(suite, "Scroller");
    await enter(page, "/r/general");
    const path = await createRoom(page, `Scroll ${tag}`);
    const other = await writer(suite.server.url, path, `Talker ${tag}`);
    for (let i = 0; i < 40; i++) await say(other.socket, other.roomId, `line ${i} ${tag}`);
    await enter(page, path);
    await messageItem(page, `line 39 ${tag}`).waitFor();
    // Read to the bottom first (the room opens there), then scroll to the top.
    const latest = page.getByRole("button", { name: "Jump to latest" });
    expect(await latest.count()).toBe(0);
    await messageLog(page).evaluate((el) => {
      const scroller = el.parentElement;
      if (scroller) scroller.scrollTop = 0;
      scroller?.dispatchEvent(new Event("scroll"));
    });
    await latest.waitFor();
    const count = page.locator("[data-new-count]");
    expect(await count.count()).toBe(0);

    for (let i = 0; i < 3; i++) await say(other.socket, other.roomId, `fresh ${i} ${tag}`);
    await messageItem(page, `fresh 2 ${tag}`).waitFor({ state: "attached" });
    await expect.poll(() => count.textContent()).toBe("3 new messages");
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `17-log-new-messages-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: null });
    await scan(page, "17-log-new-messages");

    await latest.click();
    await expect.poll(() => latest.count()).toBe(0);
    await expect.poll(() => count.count()).toBe(0);
    other.socket.close();
    expect(problems.pageErrors).toEqual([]);
  });
});
