import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";

type Listener = (event: Record<string, unknown>) => void;
type FakeWindow = {
  visibilityState: string;
  focused: boolean;
  navigated?: string;
  focus(): Promise<FakeWindow>;
  navigate(url: string): Promise<FakeWindow>;
};

/**
 * public/sw.js run as a classic worker script over a fake `self`: its
 * registration (shown notifications), its clients (windows) and the
 * events it listens for. Each handler's waitUntil promise is returned.
 */
function worker(windows: FakeWindow[] = []) {
  const listeners = new Map<string, Listener>();
  const shown: { title: string; options: Record<string, unknown>; closed: boolean }[] = [];
  const opened: string[] = [];
  const self = {
    location: { origin: "http://app.test" },
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    registration: {
      async showNotification(title: string, options: Record<string, unknown>) {
        shown.push({ title, options, closed: false });
      },
      async getNotifications() {
        return shown
          .filter((n) => !n.closed)
          .map((n) => ({ tag: n.options.tag, close: () => (n.closed = true) }));
      },
    },
    clients: {
      matchAll: async () => windows,
      openWindow: async (url: string) => void opened.push(url),
    },
  };
  runInNewContext(readFileSync("public/sw.js", "utf8"), { self, URL });
  const dispatch = async (type: string, event: Record<string, unknown>) => {
    let work: Promise<unknown> = Promise.resolve();
    listeners.get(type)?.({ ...event, waitUntil: (p: Promise<unknown>) => (work = p) });
    await work;
  };
  const push = (payload: unknown) =>
    dispatch("push", { data: { text: () => JSON.stringify(payload) } });
  return { dispatch, push, shown, opened };
}

function fakeWindow(visibilityState: string, focused: boolean): FakeWindow {
  const w: FakeWindow = {
    visibilityState,
    focused,
    focus: async () => w,
    navigate: async (url: string) => {
      w.navigated = url;
      return w;
    },
  };
  return w;
}

const show = {
  type: "show",
  tag: "m:r:7",
  title: "#general · Ana",
  body: "hi",
  url: "/r/general?m=7",
  roomId: "r",
  seq: 7,
};

describe("the service worker's push handlers", () => {
  it("shows a notification with the payload's title, body, tag and link", async () => {
    const sw = worker([fakeWindow("hidden", false)]);
    await sw.push(show);
    expect(sw.shown).toHaveLength(1);
    expect(sw.shown[0]?.title).toBe("#general · Ana");
    expect(sw.shown[0]?.options).toMatchObject({
      body: "hi",
      tag: "m:r:7",
      data: { url: "/r/general?m=7" },
    });
  });

  it("shows nothing while a window of the app is visible and focused", async () => {
    const sw = worker([fakeWindow("visible", true)]);
    await sw.push(show);
    expect(sw.shown).toHaveLength(0);
  });

  it("closes the notifications a close payload names, and only those", async () => {
    const sw = worker();
    await sw.push(show);
    await sw.push({ ...show, tag: "m:r:8", seq: 8 });
    await sw.push({ type: "close", tags: ["m:r:7"] });
    expect(sw.shown.map((n) => [n.options.tag, n.closed])).toEqual([
      ["m:r:7", true],
      ["m:r:8", false],
    ]);
  });

  it("ignores a payload that is not one", async () => {
    const sw = worker();
    await sw.dispatch("push", { data: { text: () => "garbage" } });
    await sw.dispatch("push", { data: null });
    expect(sw.shown).toHaveLength(0);
  });
});

describe("the service worker's notification click", () => {
  const click = (url: unknown) => {
    let closed = false;
    return {
      event: { notification: { data: { url }, close: () => (closed = true) } },
      closed: () => closed,
    };
  };

  it("focuses an open window and takes it to the message", async () => {
    const open = fakeWindow("hidden", false);
    const sw = worker([open]);
    const { event, closed } = click("/r/general?m=7");
    await sw.dispatch("notificationclick", event);
    expect(closed()).toBe(true);
    expect(open.navigated).toBe("http://app.test/r/general?m=7");
    expect(sw.opened).toEqual([]);
  });

  it("opens a window when none is open, and never another site", async () => {
    const sw = worker();
    await sw.dispatch("notificationclick", click("/r/general?m=7").event);
    await sw.dispatch("notificationclick", click("https://evil.example/").event);
    expect(sw.opened).toEqual(["http://app.test/r/general?m=7", "http://app.test/"]);
  });

  it("opens a window when the open one cannot be navigated (not controlled)", async () => {
    const stuck = fakeWindow("hidden", false);
    stuck.navigate = async () => {
      throw new TypeError("not controlled");
    };
    const sw = worker([stuck]);
    await sw.dispatch("notificationclick", click("/r/x").event);
    expect(sw.opened).toEqual(["http://app.test/r/x"]);
  });
});
