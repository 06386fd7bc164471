import { describe, expect, it } from "vitest";
import {
  anyRoomLink,
  chromiumAvailable,
  createRoom,
  cuttableConnection,
  enter,
  expectConnected,
  expectCount,
  expectStatus,
  memberEntry,
  messageItem,
  messageLog,
  messageTexts,
  openAs,
  roomLink,
  sendBarrier,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

describe.skipIf(!available)("delivery", () => {
  const suite = useBrowserSuite();

  it("a reader cut off while 20 messages are sent gets exactly those 20, in order, once each", async () => {
    const [a, b] = await Promise.all([openAs(suite, "Ada"), openAs(suite, "Bea")]);
    const network = await cuttableConnection(b.context);
    const tag = uniqueTag();
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Burst ${tag}`);
    await enter(b.page, path);

    // The route really carries B's connection: a message reaches B live.
    const pattern = new RegExp(`burst-${tag}-\\d\\d`, "g");
    const first = `burst-${tag}-00`;
    await sendMessage(a.page, first);
    await messageItem(b.page, first).waitFor({ timeout: 5_000 });

    await network.cut();
    await expectStatus(b.page, "Offline", 5_000);
    // The server noticed too: B is offline in A's member list. It hears of
    // the cut from the TCP close, then tells A in the next presence tick; on a
    // loaded CI machine that took over 5 s once, so the wait is roomier.
    await memberEntry(a.page, b.user.name, "offline").waitFor({ timeout: 15_000 });

    // A keeps chatting live while B is away: 20 messages in a row.
    const sent = [first];
    const box = a.page.getByRole("textbox", { name: "Message" });
    for (let i = 1; i <= 20; i++) {
      const text = `burst-${tag}-${String(i).padStart(2, "0")}`;
      await box.fill(text);
      await box.press("Enter");
      sent.push(text);
    }
    await expect
      .poll(() => messageTexts(a.page, pattern), { timeout: 5_000, interval: 50 })
      .toEqual(sent);
    await expectCount(messageLog(a.page).getByText("Sending…"), 0);
    // None of them reached B while it was cut off (its socket is down, so
    // nothing can be on the way).
    expect(await messageTexts(b.page, pattern)).toEqual([first]);

    await network.restore();
    await expectConnected(b.page, 5_000);
    await memberEntry(a.page, b.user.name, "online").waitFor({ timeout: 5_000 });
    await expect
      .poll(() => messageTexts(b.page, pattern), { timeout: 10_000, interval: 100 })
      .toEqual(sent);
    // B is live again, and nothing arrived twice: a late live copy or a
    // second replay would reach B's socket before this later message, so
    // once it is there the list is final.
    await sendMessage(a.page, `burst-${tag}-21`);
    await messageItem(b.page, `burst-${tag}-21`).waitFor({ timeout: 5_000 });
    expect(await messageTexts(b.page, pattern)).toEqual([...sent, `burst-${tag}-21`]);
    expect(b.problems.pageErrors).toEqual([]);
  });

  it("messages sent while the server is down show Sending… and are delivered once, in order, after the restart", async () => {
    const [a, b] = await Promise.all([openAs(suite, "Cal"), openAs(suite, "Dee")]);
    const tag = uniqueTag();
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Outage ${tag}`);
    await enter(b.page, path);
    const text = `written during the outage ${tag}`;
    const second = `and a second one ${tag}`;

    await suite.server.stop();
    await expectStatus(a.page, "Reconnecting…");
    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.fill(text);
    await box.press("Enter");
    const pending = messageItem(a.page, text);
    await pending.waitFor({ timeout: 5_000 });
    await pending.getByText("Sending…").waitFor({ timeout: 5_000 });
    await box.fill(second);
    await box.press("Enter");
    await messageItem(a.page, second).getByText("Sending…").waitFor({ timeout: 5_000 });
    // They stay pending while there is no server to acknowledge them.
    expect(await pending.getByText("Sending…").count()).toBe(1);
    expect(await messageLog(a.page).getByText("Sending…").count()).toBe(2);

    await suite.server.restart();
    await Promise.all([expectConnected(a.page, 15_000), expectConnected(b.page, 15_000)]);
    await expectCount(messageItem(b.page, text), 1, 5_000);
    await expectCount(messageLog(a.page).getByText("Sending…"), 0, 5_000);
    await expectCount(messageItem(a.page, text), 1);
    // Exactly once on both sides, in the order sent. A later message is the
    // barrier: a second copy of either (a resend, a replay) would come
    // before it on every socket.
    const both = new RegExp(`(written during the outage|and a second one) ${tag}`, "g");
    await sendBarrier(a.page, b.page, `after the restart ${tag}`);
    expect(await messageTexts(a.page, both)).toEqual([text, second]);
    expect(await messageTexts(b.page, both)).toEqual([text, second]);

    // After a reload A still has it once, delivered (no resend from the
    // outbox: the outbox sends in order, so one would precede the barrier).
    await enter(a.page, path);
    await expectCount(messageItem(a.page, text), 1);
    await sendBarrier(a.page, b.page, `after the reload ${tag}`);
    expect(await messageTexts(a.page, both)).toEqual([text, second]);
    expect(await messageLog(a.page).getByText("Sending…").count()).toBe(0);
    expect(await messageTexts(b.page, both)).toEqual([text, second]);
  });

  it("reading a room in one tab clears its unread count in the user's other tab", async () => {
    const [c, d] = await Promise.all([openAs(suite, "Cy"), openAs(suite, "Dan")]);
    const tag = uniqueTag();
    const roomName = `Yonder ${tag}`;
    await enter(d.page, "/r/general");
    const roomPath = await createRoom(d.page, roomName);
    // C joins Y by opening it, then both of C's tabs sit in general (X).
    const tab1 = c.page;
    await enter(tab1, roomPath);
    await anyRoomLink(tab1, "general").click();
    await tab1.getByRole("heading", { level: 1, name: "general" }).waitFor();
    const tab2 = await c.context.newPage();
    await enter(tab2, "/r/general");
    for (const tab of [tab1, tab2]) await roomLink(tab, roomName).waitFor();

    await sendMessage(d.page, `first in yonder ${tag}`);
    await sendMessage(d.page, `second in yonder ${tag}`);
    const unread = `${roomName}, 2 unread`;
    await Promise.all([
      roomLink(tab1, unread).waitFor({ timeout: 5_000 }),
      roomLink(tab2, unread).waitFor({ timeout: 5_000 }),
    ]);

    await roomLink(tab1, unread).click();
    await tab1.waitForURL(`**${roomPath}`);
    await messageItem(tab1, `second in yonder ${tag}`).waitFor();
    // Tab 2 learns that Y was read: its link is plain "Yonder …" again.
    await roomLink(tab2, roomName).waitFor({ timeout: 5_000 });
    expect(await roomLink(tab2, unread).count()).toBe(0);
    await roomLink(tab1, roomName).waitFor({ timeout: 5_000 });
  });
});
