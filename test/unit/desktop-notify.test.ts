import { describe, expect, it } from "vitest";
import {
  coveredBy,
  mayShow,
  type NoticeEnv,
  type NotifyFrame,
  noticeOptions,
  type ShownNotice,
  safePath,
  startDesktopNotify,
} from "../../src/client/desktop-notify";
import { startVisibilityReports, visibilityFrame } from "../../src/client/visibility";
import type { ClientFrame, ServerFrame } from "../../src/protocol/frames";

/** A socket whose frames the test pushes in, and which records what is sent. */
function fakeSocket() {
  const listeners = new Set<(frame: ServerFrame) => void>();
  const sent: ClientFrame[] = [];
  let open = true;
  return {
    sent,
    setOpen: (value: boolean) => {
      open = value;
    },
    emit: (frame: ServerFrame) => {
      for (const listener of listeners) listener(frame);
    },
    listeners: () => listeners.size,
    onFrame(listener: (frame: ServerFrame) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(frame: ClientFrame) {
      if (open) sent.push(frame);
      return open;
    },
  };
}

const frame = (over: Partial<NotifyFrame> = {}): NotifyFrame => ({
  type: "notify",
  roomId: "r1",
  messageId: "m1",
  seq: 5,
  tag: "m:r1:5",
  title: "Ann in #general",
  body: "hi @bob",
  url: "/r/general?m=5",
  ...over,
});

function fakeEnv(hidden = true, permission: NotificationPermission | "unsupported" = "granted") {
  const shown: {
    title: string;
    options: NotificationOptions;
    notice: ShownNotice & { closed: boolean };
  }[] = [];
  const opened: string[] = [];
  let focused = 0;
  const state = { hidden, permission };
  const env: NoticeEnv = {
    hidden: () => state.hidden,
    permission: () => state.permission,
    show(title, options) {
      const notice = {
        onclick: null,
        closed: false,
        close() {
          notice.closed = true;
        },
      } as ShownNotice & { closed: boolean };
      shown.push({ title, options, notice });
      return notice;
    },
    focus: () => {
      focused += 1;
    },
    open: (path) => opened.push(path),
  };
  return { env, shown, opened, state, focused: () => focused };
}

describe("desktop notify: pure parts", () => {
  it("shows only while hidden with permission granted", () => {
    expect(mayShow(true, "granted")).toBe(true);
    expect(mayShow(false, "granted")).toBe(false);
    expect(mayShow(true, "default")).toBe(false);
    expect(mayShow(true, "denied")).toBe(false);
    expect(mayShow(true, "unsupported")).toBe(false);
  });

  it("builds the options with the shared tag, the body and the link", () => {
    expect(noticeOptions(frame())).toEqual({
      tag: "m:r1:5",
      body: "hi @bob",
      data: { url: "/r/general?m=5", roomId: "r1", seq: 5 },
    });
    const { body: _, ...hidden } = frame();
    expect("body" in noticeOptions(hidden)).toBe(false);
  });

  it("follows same-origin paths only", () => {
    expect(safePath("/r/general?m=5")).toBe("/r/general?m=5");
    expect(safePath("//evil.example/x")).toBeNull();
    expect(safePath("/\\evil.example")).toBeNull();
    expect(safePath("https://evil.example/")).toBeNull();
    expect(safePath("javascript:alert(1)")).toBeNull();
  });

  it("a read covers the room's notifications at or before its seq", () => {
    const shown = [
      { roomId: "r1", seq: 4 },
      { roomId: "r1", seq: 5 },
      { roomId: "r1", seq: 6 },
      { roomId: "r2", seq: 1 },
    ];
    expect(coveredBy(shown, "r1", 5)).toEqual([shown[0], shown[1]]);
    expect(coveredBy(shown, "r3", 99)).toEqual([]);
  });
});

describe("desktop notify: the listener", () => {
  it("shows a hidden tab's notify, opens the message on click and closes it", () => {
    const socket = fakeSocket();
    const { env, shown, opened, focused } = fakeEnv();
    startDesktopNotify(socket, env);
    socket.emit(frame());
    expect(shown.map((s) => s.title)).toEqual(["Ann in #general"]);
    const notice = shown[0]?.notice;
    notice?.onclick?.(new Event("click"));
    expect(focused()).toBe(1);
    expect(opened).toEqual(["/r/general?m=5"]);
    expect(notice?.closed).toBe(true);
  });

  it("shows nothing while visible or without permission", () => {
    const socket = fakeSocket();
    const visible = fakeEnv(false);
    startDesktopNotify(socket, visible.env);
    const denied = fakeEnv(true, "denied");
    startDesktopNotify(socket, denied.env);
    socket.emit(frame());
    expect(visible.shown).toEqual([]);
    expect(denied.shown).toEqual([]);
  });

  it("a read of the room up to the seq closes it; an earlier read or another room does not", () => {
    const socket = fakeSocket();
    const { env, shown } = fakeEnv();
    startDesktopNotify(socket, env);
    socket.emit(frame());
    socket.emit(frame({ roomId: "r2", seq: 9, tag: "m:r2:9" }));
    socket.emit({ type: "read", roomId: "r1", seq: 4 });
    socket.emit({ type: "read", roomId: "r3", seq: 50 });
    expect(shown.map((s) => s.notice.closed)).toEqual([false, false]);
    socket.emit({ type: "read", roomId: "r1", seq: 5 });
    expect(shown.map((s) => s.notice.closed)).toEqual([true, false]);
  });

  it("a click on a notification with a foreign url focuses but goes nowhere", () => {
    const socket = fakeSocket();
    const { env, shown, opened } = fakeEnv();
    startDesktopNotify(socket, env);
    socket.emit(frame({ url: "https://evil.example/" }));
    shown[0]?.notice.onclick?.(new Event("click"));
    expect(opened).toEqual([]);
  });

  it("stops listening when stopped", () => {
    const socket = fakeSocket();
    const { env, shown } = fakeEnv();
    const stop = startDesktopNotify(socket, env);
    stop();
    socket.emit(frame());
    expect(shown).toEqual([]);
    expect(socket.listeners()).toBe(0);
  });
});

describe("visibility reports", () => {
  /** A document whose visibility the test sets. */
  function fakeDocument(state: DocumentVisibilityState) {
    const listeners = new Set<() => void>();
    return {
      visibilityState: state,
      set(next: DocumentVisibilityState) {
        this.visibilityState = next;
        for (const listener of listeners) listener();
      },
      addEventListener: (_: "visibilitychange", listener: () => void) => listeners.add(listener),
      removeEventListener: (_: "visibilitychange", listener: () => void) =>
        listeners.delete(listener),
      count: () => listeners.size,
    };
  }

  it("maps the document's state to the frame", () => {
    expect(visibilityFrame("visible")).toEqual({ type: "visibility", visible: true });
    expect(visibilityFrame("hidden")).toEqual({ type: "visibility", visible: false });
  });

  it("reports on every ready and on each visibilitychange, and stops", () => {
    const socket = fakeSocket();
    const doc = fakeDocument("visible");
    const stop = startVisibilityReports(socket, doc);
    expect(socket.sent).toEqual([]);
    const ready = { type: "ready" } as ServerFrame;
    socket.emit(ready);
    doc.set("hidden");
    // A reconnect: the new socket is told again.
    socket.emit(ready);
    expect(socket.sent).toEqual([
      { type: "visibility", visible: true },
      { type: "visibility", visible: false },
      { type: "visibility", visible: false },
    ]);
    stop();
    doc.set("visible");
    socket.emit(ready);
    expect(socket.sent).toHaveLength(3);
    expect(doc.count()).toBe(0);
  });

  it("a change while disconnected is dropped and the next ready reports the state then", () => {
    const socket = fakeSocket();
    const doc = fakeDocument("hidden");
    startVisibilityReports(socket, doc);
    socket.setOpen(false);
    doc.set("visible");
    expect(socket.sent).toEqual([]);
    socket.setOpen(true);
    socket.emit({ type: "ready" } as ServerFrame);
    expect(socket.sent).toEqual([{ type: "visibility", visible: true }]);
  });
});
