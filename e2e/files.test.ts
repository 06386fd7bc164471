import { describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  createRoom,
  cuttableConnection,
  enter,
  expectConnected,
  expectCount,
  expectStatus,
  messageItem,
  messageLog,
  openAs,
  sendBarrier,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
} from "./browser";
import {
  attachAndWait,
  attachInput,
  binaryFile,
  dropFiles,
  pasteFiles,
  pdfFile,
  pngFile,
  pressSend,
  throttleUploads,
  waitUploaded,
} from "./files-kit";

const available = chromiumAvailable();

/** The image in a page's log whose alt text is `name`. */
const logImage = (page: import("playwright-core").Page, name: string) =>
  messageLog(page).getByRole("img", { name, exact: true });

/** Whether an <img> has loaded real pixels (its bytes were served and decoded). */
const loaded = (img: import("playwright-core").Locator) =>
  img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth);

describe.skipIf(!available)("files in the browser", () => {
  const suite = useBrowserSuite();

  async function twoInARoom(prefix: string) {
    const [a, b] = await Promise.all([openAs(suite, `${prefix}A`), openAs(suite, `${prefix}B`)]);
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Files ${prefix} ${uniqueTag()}`);
    await enter(b.page, path);
    return { a, b, path };
  }

  it("A attaches an image, B sees the thumbnail live and opens the viewer", async () => {
    const { a, b } = await twoInARoom("Img");
    const tag = uniqueTag();
    const image = await pngFile(`sunset-${tag}.png`, 800, 600);
    const report = pdfFile(`report-${tag}.pdf`);
    await attachAndWait(a.page, [image, report]);
    await a.page.getByRole("textbox", { name: "Message" }).fill(`look ${tag}`);
    await pressSend(a.page);

    // B: the thumbnail, live, sized up front (no layout shift), with real pixels.
    const thumb = logImage(b.page, image.name);
    await thumb.waitFor({ timeout: 10_000 });
    expect(await thumb.getAttribute("width")).toBe("320");
    expect(await thumb.getAttribute("height")).toBe("240");
    await expect.poll(() => loaded(thumb), { timeout: 5_000 }).toBeGreaterThan(0);
    // The thumbnail is the server's (at most 400 px), not the 800 px original.
    expect(await thumb.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeLessThanOrEqual(
      400,
    );

    // The PDF is a card whose link is named by file name, size and type.
    const card = messageLog(b.page).getByRole("link", { name: `${report.name}, 1.2 MB, PDF` });
    await card.waitFor();
    expect(await card.getAttribute("download")).toBe(report.name);

    // The thumbnail's button opens the viewer: full image, "Download".
    const button = messageLog(b.page).getByRole("button", { name: image.name, exact: true });
    await button.click();
    const viewer = b.page.getByRole("dialog", { name: "Image viewer" });
    await viewer.waitFor();
    const full = viewer.getByRole("img", { name: image.name });
    await expect.poll(() => loaded(full), { timeout: 5_000 }).toBe(800);
    const download = viewer.getByRole("link", { name: "Download" });
    expect(await download.getAttribute("download")).toBe(image.name);
    const href = (await download.getAttribute("href")) ?? "";
    expect(href).toMatch(new RegExp(`^/files/[^/]+/sunset-${tag}\\.png$`));
    const served = await b.page.request.get(href);
    expect(served.status()).toBe(200);
    expect((await served.body()).length).toBeGreaterThan(0);

    // Esc closes it and focus goes back to the thumbnail's button.
    await b.page.keyboard.press("Escape");
    await viewer.waitFor({ state: "hidden" });
    await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);
    // And the author sees it too, once (the pending row gave way to the message).
    await expectCount(logImage(a.page, image.name), 1, 10_000);
    expect(a.problems.pageErrors).toEqual([]);
    expect(b.problems.pageErrors).toEqual([]);
  });

  it("drag and drop onto the conversation attaches the files; a message may be files alone", async () => {
    const { a, b } = await twoInARoom("Drop");
    const tag = uniqueTag();
    const image = await pngFile(`dropped-${tag}.png`, 300, 200);
    await dropFiles(a.page, '[role="log"][aria-label="Messages"]', [image]);
    await waitUploaded(a.page, [image]);
    // No text: the Send button is enabled by the file alone.
    await pressSend(a.page);
    const thumb = logImage(b.page, image.name);
    await thumb.waitFor({ timeout: 10_000 });
    // Smaller than the box: laid out at its own size.
    expect(await thumb.getAttribute("width")).toBe("300");
    expect(await thumb.getAttribute("height")).toBe("200");

    // A pasted screenshot is attached the same way.
    const pasted = await pngFile(`pasted-${tag}.png`, 120, 90);
    await pasteFiles(a.page, "main form textarea", [pasted]);
    await waitUploaded(a.page, [pasted]);
    await pressSend(a.page);
    await logImage(b.page, pasted.name).waitFor({ timeout: 10_000 });
  });

  it("a thread reply carries files too, shown in the thread panel", async () => {
    const { a, b } = await twoInARoom("Thr");
    const tag = uniqueTag();
    await sendMessage(a.page, `root ${tag}`);
    await messageItem(b.page, `root ${tag}`)
      .getByRole("button", { name: "Message actions" })
      .click();
    await b.page.getByRole("menuitem", { name: "Reply in thread" }).click();
    const thread = b.page.getByRole("complementary", { name: "Thread" });
    const image = await pngFile(`reply-${tag}.png`, 500, 300);
    await thread.getByLabel("Attach files").setInputFiles([image]);
    await waitUploaded(b.page, [image], thread);
    await thread.getByRole("button", { name: "Send reply" }).click();
    const replies = thread.getByRole("log", { name: "Thread messages" });
    await replies.getByRole("img", { name: image.name }).waitFor({ timeout: 10_000 });

    // A opens the thread from "1 reply" and sees the image there, and opens the viewer.
    await messageItem(a.page, `root ${tag}`).getByRole("button", { name: "1 reply" }).click();
    const aThread = a.page.getByRole("complementary", { name: "Thread" });
    const thumb = aThread.getByRole("button", { name: image.name, exact: true });
    await thumb.click();
    await a.page
      .getByRole("dialog", { name: "Image viewer" })
      .getByRole("link", { name: "Download" })
      .waitFor();
    await a.page.keyboard.press("Escape");
    await expect.poll(() => thumb.evaluate((el) => el === document.activeElement)).toBe(true);
    // Thread-only: not in the room's log.
    const roomLog = a.page.getByRole("log", { name: "Messages", exact: true });
    expect(await roomLog.getByRole("img", { name: image.name }).count()).toBe(0);
  });

  it("a 20 MB file shows a progress bar, and Cancel upload removes it with nothing sent", async () => {
    const { a, b } = await twoInARoom("Big");
    const tag = uniqueTag();
    const big = binaryFile(`big-${tag}.bin`, 20 * 1024 * 1024);
    // 2 MB/s: about ten seconds for the whole file, time enough to see it move.
    const unthrottle = await throttleUploads(a.context, a.page, 2 * 1024 * 1024);
    const started = Date.now();
    await attachInput(a.page).setInputFiles([big]);
    const bar = a.page.getByRole("progressbar", { name: big.name, exact: true });
    await bar.waitFor();
    const percent = async () => Number(await bar.getAttribute("aria-valuenow"));
    // The bar moves with the bytes sent.
    await expect.poll(percent, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);
    const seen = await percent();
    console.log(
      `[files] 20 MB upload at 2 MB/s: ${seen}% after ${Date.now() - started} ms, then cancelled`,
    );
    expect(seen).toBeLessThan(100);
    // Send waits for the upload.
    expect(
      await a.page
        .locator("main form:has(textarea)")
        .getByRole("button", { name: "Send", exact: true })
        .isDisabled(),
    ).toBe(true);
    await a.page.getByRole("button", { name: "Cancel upload" }).click();
    await bar.waitFor({ state: "detached" });
    await expectCount(a.page.locator("main form:has(textarea)").getByRole("listitem"), 0);
    await unthrottle();

    // Nothing went: the next message is the first B gets from this room.
    await sendBarrier(a.page, b.page, `after the cancel ${tag}`);
    await expectCount(messageLog(b.page).getByRole("listitem"), 1);
    await expectCount(messageLog(a.page).getByRole("listitem"), 1);
  });

  it("reports how fast a 20 MB file uploads from the browser, unthrottled", async () => {
    const a = await openAs(suite, "Speed");
    await enter(a.page, "/r/general");
    const big = binaryFile(`speed-${uniqueTag()}.bin`, 20 * 1024 * 1024);
    // Timed in the page, from the file's arrival in the composer (its bar
    // shows) to the server's answer (its "Remove" button): not the test's
    // own copying of 20 MB into the browser.
    await a.page.evaluate(() => {
      const w = window as unknown as { uploadTimes: number[] };
      w.uploadTimes = [];
      new MutationObserver(() => {
        const form = document.querySelector("main form:has(textarea)");
        const bar = form?.querySelector('[role="progressbar"]');
        const done = form?.querySelector('button[aria-label^="Remove "]');
        if (bar && w.uploadTimes.length === 0) w.uploadTimes.push(performance.now());
        if (done && w.uploadTimes.length === 1) w.uploadTimes.push(performance.now());
      }).observe(document.body, { subtree: true, childList: true });
    });
    await attachInput(a.page).setInputFiles([big]);
    await waitUploaded(a.page, [big]);
    const [from = 0, to = 0] = await a.page.evaluate(
      () => (window as unknown as { uploadTimes: number[] }).uploadTimes,
    );
    const seconds = (to - from) / 1000;
    expect(seconds).toBeGreaterThan(0);
    // A figure, not a bound: the machine is shared.
    console.log(
      `[files] 20 MB from Chromium through the composer: ${seconds.toFixed(2)} s, ${(20 / seconds).toFixed(1)} MB/s`,
    );
    await a.page
      .locator("main form:has(textarea)")
      .getByRole("button", { name: `Remove ${big.name}` })
      .click();
    await expectCount(a.page.locator("main form:has(textarea)").getByRole("listitem"), 0);
  });

  it("a file sent while offline (upload done) goes out once after reconnect", async () => {
    const [a, b] = await Promise.all([openAs(suite, "OffA"), openAs(suite, "OffB")]);
    const network = await cuttableConnection(a.context);
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Files offline ${uniqueTag()}`);
    await enter(b.page, path);
    const tag = uniqueTag();
    const image = await pngFile(`offline-${tag}.png`, 400, 300);
    await attachAndWait(a.page, [image]);

    await network.cut();
    await expectStatus(a.page, "Offline", 5_000);
    await a.page.getByRole("textbox", { name: "Message" }).fill(`while away ${tag}`);
    await pressSend(a.page);
    // Waiting in the outbox: "Sending…" with the attachment's name.
    const pending = messageItem(a.page, `while away ${tag}`);
    await pending.getByText("Sending…").waitFor({ timeout: 5_000 });
    await pending.getByText(image.name).waitFor();
    await network.restore();
    await expectConnected(a.page, 15_000);

    await logImage(b.page, image.name).waitFor({ timeout: 10_000 });
    await expectCount(messageLog(a.page).getByText("Sending…"), 0, 10_000);
    // Exactly once on both sides: a later message is the barrier (a resend
    // or a replay would reach each socket before it).
    await sendBarrier(a.page, b.page, `after the reconnect ${tag}`);
    await expectCount(messageItem(b.page, `while away ${tag}`), 1);
    await expectCount(logImage(b.page, image.name), 1);
    await expectCount(logImage(a.page, image.name), 1);
  });
});

describe.skipIf(!available)("a refused upload", () => {
  const suite = useBrowserSuite({ serverEnv: { PARLEY_MAX_UPLOAD_MB: "1" } });

  it("shows an alert naming the limit, and attaches nothing", async () => {
    const a = await openAs(suite, "Lim");
    await enter(a.page, "/r/general");
    const tag = uniqueTag();
    const tooBig = binaryFile(`too-big-${tag}.bin`, 2 * 1024 * 1024);
    await attachInput(a.page).setInputFiles([tooBig]);
    const alert = a.page.locator("main form:has(textarea)").getByRole("alert");
    await alert.waitFor({ timeout: 10_000 });
    const said = (await alert.textContent()) ?? "";
    expect(said).toContain(tooBig.name);
    expect(said).toMatch(/\b1\s?MB\b/);
    await expectCount(a.page.getByRole("progressbar"), 0);
    await expectCount(a.page.locator("main form:has(textarea)").getByRole("listitem"), 0);
    // A file under the limit still goes.
    const small = pdfFile(`small-${tag}.pdf`, 10_000);
    await attachAndWait(a.page, [small]);
    await pressSend(a.page);
    await messageLog(a.page)
      .getByRole("link", { name: new RegExp(`^small-${tag}\\.pdf, `) })
      .waitFor({ timeout: 10_000 });
  });
});
