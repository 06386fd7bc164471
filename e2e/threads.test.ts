import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  expectCount,
  openAs,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/** The thread panel (complementary landmark "Thread") and its log. */
const threadPanel = (page: Page) => page.getByRole("complementary", { name: "Thread" });
const threadLog = (page: Page) => threadPanel(page).getByRole("log", { name: "Thread messages" });
/** A message of the room's own log ("Messages", not "Thread messages"). */
const roomMessage = (page: Page, text: string) =>
  page
    .getByRole("log", { name: "Messages", exact: true })
    .getByRole("listitem")
    .filter({ hasText: text });

describe.skipIf(!available)("threads", () => {
  const suite = useBrowserSuite();

  it("A starts a thread, B replies, and A sees '1 reply' live and the reply in 'Thread messages'", async () => {
    const [a, b] = await Promise.all([openAs(suite, "Ann"), openAs(suite, "Bo")]);
    const tag = uniqueTag();
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Threads ${tag}`);
    await enter(b.page, path);
    const question = `Where is the release checklist? ${tag}`;
    await sendMessage(a.page, question);
    await roomMessage(b.page, question).waitFor();

    // B, by keyboard only: the actions menu, "Reply in thread", type, Enter.
    const actions = roomMessage(b.page, question).getByRole("button", { name: "Message actions" });
    await actions.focus();
    await b.page.keyboard.press("Enter");
    const menu = b.page.getByRole("menu", { name: "Message actions" });
    await menu.waitFor();
    const item = menu.getByRole("menuitem", { name: "Reply in thread" });
    for (let i = 0; i < 5 && !(await item.evaluate((el) => el === document.activeElement)); i++) {
      await b.page.keyboard.press("ArrowDown");
    }
    await b.page.keyboard.press("Enter");
    const reply = threadPanel(b.page).getByRole("textbox", { name: "Reply" });
    await expect.poll(() => reply.evaluate((el) => el === document.activeElement)).toBe(true);
    const answer = `In the wiki, under Releases ${tag}`;
    await b.page.keyboard.type(answer);
    await b.page.keyboard.press("Enter");
    await threadLog(b.page).getByText(answer).waitFor();
    await expectCount(threadLog(b.page).getByText("Sending…"), 0);
    // B replied: B follows the thread.
    await threadPanel(b.page).getByRole("button", { name: "Unfollow thread" }).waitFor();

    // A sees the root's "1 reply" live, and the reply stays out of the room's log.
    const replies = roomMessage(a.page, question).getByRole("button", { name: "1 reply" });
    await replies.waitFor({ timeout: 5_000 });
    await expectCount(roomMessage(a.page, answer), 0);
    // A started the thread, so A follows it with one unread reply.
    await a.page.getByRole("link", { name: "Threads, 1 unread" }).waitFor();
    await replies.click();
    const log = threadLog(a.page);
    await log.getByText(answer).waitFor();
    const texts = await log.getByRole("listitem").allTextContents();
    const rootAt = texts.findIndex((t) => t.includes(question));
    const replyAt = texts.findIndex((t) => t.includes(answer));
    expect(rootAt).toBe(0);
    expect(replyAt).toBeGreaterThan(rootAt);
    await threadPanel(a.page).getByRole("checkbox", { name: "Also send to room" }).waitFor();
    await threadPanel(a.page).getByRole("button", { name: "Send reply" }).waitFor();
    await threadPanel(a.page).getByRole("button", { name: "Unfollow thread" }).waitFor();
    // Open and at the bottom: the reply is read, on every device.
    await a.page.getByRole("link", { name: "Threads", exact: true }).waitFor();

    // The thread panel, and the log with its "1 reply" button (the rest of the page is tested elsewhere).
    const violations = [
      ...(await seriousAxeViolations(a.page, "aside[aria-labelledby]")),
      ...(await seriousAxeViolations(a.page, '[role="log"][aria-label="Messages"] ul')),
    ];
    expect(violations, JSON.stringify(violations)).toEqual([]);
    await screenshotLightAndDark(a.page, "thread-open");

    // The reply's seq is taken, yet the room's log shows no hole where it sits.
    await sendMessage(b.page, `after the reply ${tag}`);
    await roomMessage(a.page, `after the reply ${tag}`).waitFor();
    await expectCount(a.page.getByRole("button", { name: /^Show \d+ more message/ }), 0);

    // A reply also sent to the room shows in both.
    await threadPanel(a.page).getByRole("checkbox", { name: "Also send to room" }).check();
    const both = `Thanks, found it ${tag}`;
    await threadPanel(a.page).getByRole("textbox", { name: "Reply" }).fill(both);
    await threadPanel(a.page).getByRole("button", { name: "Send reply" }).click();
    await threadLog(a.page).getByText(both).waitFor();
    await roomMessage(b.page, both).waitFor();
    await roomMessage(b.page, question).getByRole("button", { name: "2 replies" }).waitFor();

    // Esc closes the thread.
    await threadPanel(a.page).getByRole("textbox", { name: "Reply" }).focus();
    await a.page.keyboard.press("Escape");
    await expectCount(threadPanel(a.page), 0);
    // B closes by keyboard too, and focus returns to the message's actions.
    await threadPanel(b.page).getByRole("textbox", { name: "Reply" }).focus();
    await b.page.keyboard.press("Escape");
    await expect.poll(() => actions.evaluate((el) => el === document.activeElement)).toBe(true);

    // The Threads page lists the followed thread and opens it again.
    await a.page.getByRole("link", { name: "Threads", exact: true }).click();
    await a.page.getByRole("heading", { name: "Threads" }).waitFor();
    const open = a.page.getByRole("link", { name: "Open thread: 2 replies" });
    await open.waitFor();
    await screenshotLightAndDark(a.page, "threads-page");
    await open.click();
    await threadLog(a.page).getByText(answer).waitFor({ timeout: 10_000 });
    // On a phone the thread covers the room, its composer still in view.
    await a.page.setViewportSize({ width: 390, height: 760 });
    await threadPanel(a.page).getByRole("button", { name: "Send reply" }).waitFor();
    await screenshotLightAndDark(a.page, "thread-phone");
  });
});
