import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotLightAndDark } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  expectCount,
  messageItem,
  openAs,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

const threadPanel = (page: Page) => page.getByRole("complementary", { name: "Thread" });
const threadLog = (page: Page) => threadPanel(page).getByRole("log", { name: "Thread messages" });
const replyBox = (page: Page) => threadPanel(page).getByRole("textbox", { name: "Reply" });

/** Opens the thread of a message of the room's log, by its actions menu. */
async function openThread(page: Page, rootText: string): Promise<void> {
  await messageItem(page, rootText).getByRole("button", { name: "Message actions" }).click();
  await page.getByRole("menuitem", { name: "Reply in thread" }).click();
  await replyBox(page).waitFor();
}

/** Sends a reply in the open thread and waits until the server took it. */
async function reply(page: Page, text: string): Promise<void> {
  await replyBox(page).fill(text);
  await replyBox(page).press("Enter");
  await threadLog(page).getByText(text).waitFor();
  await expectCount(threadLog(page).getByText("Sending…"), 0);
}

describe.skipIf(!available)("links to thread replies, and Up in the Reply box", () => {
  const suite = useBrowserSuite();

  it("a search hit, a saved entry and a pin of a thread-only reply open its thread", async () => {
    const { page, problems } = await openAs(suite, "Linker");
    await enter(page, "/r/general");
    await createRoom(page, `Thread links ${uniqueTag()}`);
    const tag = uniqueTag();
    const root = `Which printer is broken? ${tag}`;
    const answer = `The one by the lift, osprey${tag}`;
    await sendMessage(page, root);
    await openThread(page, root);
    await reply(page, answer);
    // Save and pin the reply from its own actions menu, in the thread.
    const inThread = threadLog(page).getByRole("listitem").filter({ hasText: answer });
    for (const action of ["Save", "Pin"]) {
      await inThread.getByRole("button", { name: "Message actions" }).click();
      await page.getByRole("menuitem", { name: action }).click();
    }
    await page.getByRole("button", { name: "Close thread" }).click();
    await expectCount(threadPanel(page), 0);

    // Search: the hit of the reply (not in the room's log) opens the thread, the reply highlighted.
    const box = page.getByRole("searchbox", { name: "Search messages" });
    await box.fill(`osprey${tag}`);
    await box.press("Enter");
    const hit = page.getByRole("list", { name: "Search results" }).getByRole("link");
    await expectCount(hit, 1);
    await hit.click();
    const shown = threadLog(page).getByRole("listitem").filter({ hasText: answer });
    await shown.waitFor();
    await threadLog(page).getByRole("listitem").filter({ hasText: root }).waitFor();
    await expect.poll(() => shown.getAttribute("class")).toContain("ring-amber-300");
    expect(new URL(page.url()).searchParams.get("t")).not.toBeNull();
    await screenshotLightAndDark(page, "thread-link-reply");

    // Closed, the address forgets the thread, so the pin's link opens it again in this room.
    await page.getByRole("button", { name: "Close thread" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("t")).toBeNull();
    await page.getByRole("button", { name: "Pinned messages" }).click();
    await page
      .getByRole("region", { name: "Pinned messages" })
      .getByRole("link")
      .filter({ hasText: answer })
      .click();
    await threadLog(page).getByText(answer).waitFor();

    // From the Saved page, another route: the room opens with the thread.
    await page.getByRole("link", { name: "Saved", exact: true }).click();
    await page.getByRole("heading", { name: "Saved messages" }).waitFor();
    await page.getByRole("list", { name: "Saved messages" }).getByRole("link").click();
    await threadLog(page).getByRole("listitem").filter({ hasText: answer }).waitFor();
    expect(problems.pageErrors).toEqual([]);
  });

  it("Up in the empty Reply box edits my last reply, then focus comes back", async () => {
    const { page, problems } = await openAs(suite, "Upreply");
    await enter(page, "/r/general");
    await createRoom(page, `Thread edits ${uniqueTag()}`);
    const tag = uniqueTag();
    const root = `Lunch at noon? ${tag}`;
    await sendMessage(page, root);
    await openThread(page, root);
    await reply(page, `first reply ${tag}`);
    await reply(page, `second reply ${tag}`);

    await replyBox(page).press("ArrowUp");
    const editor = threadLog(page).getByRole("textbox", { name: "Edit message" });
    await editor.waitFor();
    // The last reply, not the first and not the root.
    expect(await editor.inputValue()).toBe(`second reply ${tag}`);
    await expect.poll(() => editor.evaluate((el) => el === document.activeElement)).toBe(true);
    await editor.fill(`second reply ${tag}, at one`);
    await editor.press("Enter");
    const edited = threadLog(page).getByRole("listitem").filter({ hasText: `at one` });
    await edited.getByText("(edited)").waitFor();
    await expect
      .poll(() => replyBox(page).evaluate((el) => el === document.activeElement))
      .toBe(true);
    // The first reply is untouched, and the thread stays open (Escape in the editor was not used).
    await threadLog(page).getByText(`first reply ${tag}`).waitFor();

    // In the room's composer, Up edits the root (a reply kept in the thread is not in the log).
    await page.getByRole("button", { name: "Close thread" }).click();
    const composer = page.getByRole("textbox", { name: "Message" });
    await composer.press("ArrowUp");
    await messageItem(page, root).getByRole("textbox", { name: "Edit message" }).waitFor();
    expect(problems.pageErrors).toEqual([]);
  });
});
