import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  enter,
  messageItem,
  openAs,
  sendBarrier,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

// Issue 13: a hidden tab shows a browser Notification for a mention (room,
// author and text), a visible one does not, and a click opens the message.

const available = chromiumAvailable();

/** The handle the server gives a test user that sent none: its name, dotted, lower case. */
const handleOf = (name: string) => name.toLowerCase().replace(/\s+/g, ".");

type Recorded = { title: string; body?: string; tag?: string; url?: string; closed: boolean };

/**
 * Runs in every page before the app: wraps window.Notification so the test
 * can read what was shown and call a notification's onclick (headless
 * Chromium shows nothing one could click). Permission stays the browser's
 * own: the context grants it. Also lets the test hide the tab: headless
 * Chromium keeps every page "visible" (there is no window to minimise or
 * tab to switch away from), so visibilityState is overridden and the test
 * dispatches visibilitychange itself, as a browser does on switching tabs.
 */
function instrument() {
  const w = window as unknown as {
    __shown: {
      title: string;
      options: NotificationOptions;
      notice: Notification;
      closed: boolean;
    }[];
    __hidden: boolean;
    Notification: typeof Notification;
  };
  w.__shown = [];
  w.__hidden = false;
  const Real = window.Notification;
  const Wrapped = function (this: unknown, title: string, options: NotificationOptions = {}) {
    const notice = new Real(title, options);
    const entry = { title, options, notice, closed: false };
    // Recorded too, so the test sees what the app withdrew.
    const close = notice.close.bind(notice);
    notice.close = () => {
      entry.closed = true;
      close();
    };
    w.__shown.push(entry);
    return notice;
  } as unknown as typeof Notification;
  Object.defineProperty(Wrapped, "permission", { get: () => Real.permission });
  Wrapped.requestPermission = Real.requestPermission.bind(Real);
  w.Notification = Wrapped;
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true,
    get: () => (w.__hidden ? "hidden" : "visible"),
  });
  Object.defineProperty(Document.prototype, "hidden", {
    configurable: true,
    get: () => w.__hidden,
  });
}

/** The notifications this page showed, as the test reads them. */
function shown(page: Page): Promise<Recorded[]> {
  return page.evaluate(() =>
    (
      window as unknown as {
        __shown: { title: string; options: NotificationOptions; closed: boolean }[];
      }
    ).__shown.map(({ title, options, closed }) => ({
      closed,
      title,
      body: options.body,
      tag: options.tag,
      url: (options.data as { url?: string } | undefined)?.url,
    })),
  );
}

/** Hides the tab as switching away from it would. */
async function hide(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { __hidden: boolean }).__hidden = true;
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

describe.skipIf(!available)("desktop notifications in the browser", () => {
  const suite = useBrowserSuite();

  /** A signed-in user in general, with notifications granted and recorded. */
  async function person(name: string) {
    const opened = await openAs(suite, name);
    await opened.context.grantPermissions(["notifications"], { origin: suite.server.url });
    await opened.context.addInitScript(instrument);
    await enter(opened.page, "/r/general");
    return opened;
  }

  it("a hidden tab shows a mention with room, author and text; a visible one none; a click opens it", {
    timeout: 90_000,
  }, async () => {
    const tag = uniqueTag();
    const [ada, bea, cal] = await Promise.all([person("Ada"), person("Bea"), person("Cal")]);
    expect(await bea.page.evaluate(() => Notification.permission)).toBe("granted");
    await hide(bea.page);
    // The server must have Bea's "hidden" before the mention: it answers
    // frames in order, so a message she sends after it is a barrier.
    await sendBarrier(bea.page, ada.page, `bea away ${tag}`);

    const text = `look @${handleOf(bea.user.name)} and @${handleOf(cal.user.name)} ${tag}`;
    await sendMessage(ada.page, text);
    await expect.poll(() => shown(bea.page), { timeout: 10_000 }).toHaveLength(1);
    const [notice] = await shown(bea.page);
    expect(notice?.title).toBe(`${ada.user.name} in #general`);
    expect(notice?.body).toBe(text);
    expect(notice?.url).toMatch(/^\/r\/general\?m=\d+$/);
    expect(notice?.tag).toMatch(/^m:/);

    // Cal's tab is visible: frames reach a socket in order, so once a later
    // message shows there, a notification for the mention would have too.
    await sendBarrier(ada.page, cal.page, `after ${tag}`);
    expect(await shown(cal.page)).toEqual([]);

    // A click (the browser calls onclick) focuses the tab and opens the message's link.
    await bea.page.evaluate(() => {
      const first = (window as unknown as { __shown: { notice: Notification }[] }).__shown[0];
      first?.notice.onclick?.(new Event("click"));
    });
    await expect
      .poll(() => new URL(bea.page.url()).pathname + new URL(bea.page.url()).search)
      .toBe(notice?.url);
    await messageItem(bea.page, text).waitFor();
  });

  it("reading the room on another tab closes the hidden tab's notification", {
    timeout: 90_000,
  }, async () => {
    const tag = uniqueTag();
    const [ada, bea] = await Promise.all([person("Ada"), person("Bea")]);
    await hide(bea.page);
    await sendBarrier(bea.page, ada.page, `bea away ${tag}`);
    const text = `ping @${handleOf(bea.user.name)} ${tag}`;
    await sendMessage(ada.page, text);
    await expect.poll(() => shown(bea.page), { timeout: 10_000 }).toHaveLength(1);
    expect((await shown(bea.page))[0]?.closed).toBe(false);
    // Bea opens the room in a second, visible tab: it reads up to the
    // mention, and every tab of hers hears the read.
    const other = await bea.context.newPage();
    await enter(other, "/r/general");
    await messageItem(other, text).waitFor();
    await expect
      .poll(async () => (await shown(bea.page))[0]?.closed, { timeout: 10_000 })
      .toBe(true);
    // The visible tab showed nothing itself.
    expect(await shown(other)).toEqual([]);
  });
});
