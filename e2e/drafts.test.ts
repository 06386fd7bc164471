import { describe, expect, it } from "vitest";
import {
  anyRoomLink,
  chromiumAvailable,
  createRoom,
  enter,
  expectConnected,
  messageItem,
  openAs,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
  waitForHydration,
} from "./browser";

const available = chromiumAvailable();

describe.skipIf(!available)("composer drafts", () => {
  const suite = useBrowserSuite();

  it("a draft survives a reload and switching rooms, and goes once sent", async () => {
    const { page, problems } = await openAs(suite, "Drafty");
    await enter(page, "/r/general");
    const name = `Drafts ${uniqueTag()}`;
    await createRoom(page, name);
    const box = page.getByRole("textbox", { name: "Message" });

    await box.fill("half a thought\nwith a second line");
    await anyRoomLink(page, "general").click();
    await page.getByRole("heading", { level: 1, name: "general" }).waitFor();
    await expect.poll(() => box.inputValue()).toBe("");
    await box.fill("general's own draft");

    await anyRoomLink(page, name).click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await expect.poll(() => box.inputValue()).toBe("half a thought\nwith a second line");

    await page.reload();
    await waitForHydration(page);
    await expect.poll(() => box.inputValue()).toBe("half a thought\nwith a second line");
    await expectConnected(page);

    // Sending clears it: the outbox has the message now, not the draft.
    await box.press("Enter");
    await messageItem(page, "half a thought").waitFor();
    await expect.poll(() => box.inputValue()).toBe("");
    await page.reload();
    await waitForHydration(page);
    await expectConnected(page);
    expect(await box.inputValue()).toBe("");

    await anyRoomLink(page, "general").click();
    await page.getByRole("heading", { level: 1, name: "general" }).waitFor();
    await expect.poll(() => box.inputValue()).toBe("general's own draft");
    expect(problems.pageErrors).toEqual([]);
  });

  it("drafts are per user: another account in the same browser sees none", async () => {
    const first = await openAs(suite, "Ursula");
    await enter(first.page, "/r/general");
    await first.page.getByRole("textbox", { name: "Message" }).fill("mine only");
    const storage = await first.context.storageState();

    // Same browser storage (localStorage carried over), another account.
    const second = await suite.open({ storageState: { cookies: [], origins: storage.origins } });
    const other = await openAs(suite, "Viktor");
    await second.context.addCookies(await other.context.cookies());
    await enter(second.page, "/r/general");
    expect(await second.page.getByRole("textbox", { name: "Message" }).inputValue()).toBe("");
    const keys = await second.page.evaluate(() => Object.keys(localStorage));
    expect(keys.some((key) => key.startsWith("parley.draft:"))).toBe(true);
  });

  it("a thread's reply draft is its own, and survives closing the thread and a reload", async () => {
    const { page, problems } = await openAs(suite, "Threader");
    await enter(page, "/r/general");
    await createRoom(page, `Thread drafts ${uniqueTag()}`);
    await sendMessage(page, "the root of it");
    const openThread = async () => {
      await messageItem(page, "the root of it")
        .getByRole("button", { name: "Message actions" })
        .click();
      await page.getByRole("menuitem", { name: "Reply in thread" }).click();
      return page.getByRole("complementary", { name: "Thread" }).getByRole("textbox", {
        name: "Reply",
      });
    };
    const room = page.getByRole("textbox", { name: "Message" });
    await room.fill("the room's draft");
    await (await openThread()).fill("a reply, half written");

    await page.getByRole("button", { name: "Close thread" }).click();
    await expect.poll(() => room.inputValue()).toBe("the room's draft");
    // Opened once, then waited on: the draft comes back as the thread loads.
    const reopened = await openThread();
    await expect.poll(() => reopened.inputValue()).toBe("a reply, half written");

    await page.reload();
    await waitForHydration(page);
    await expectConnected(page);
    await expect.poll(() => room.inputValue()).toBe("the room's draft");
    const afterReload = await openThread();
    await expect.poll(() => afterReload.inputValue()).toBe("a reply, half written");
    expect(problems.pageErrors).toEqual([]);
  });
});
