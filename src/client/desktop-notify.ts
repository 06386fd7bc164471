import type { ServerFrame } from "../protocol/frames";

/**
 * In-page desktop notifications (issue 13). The server sends a `notify`
 * frame to every socket of a user who has no visible tab anywhere; a tab
 * shows it as a browser Notification only while it is hidden itself and
 * permission was granted (asked from a button, never here). A click
 * focuses the tab and opens the message; a `read` of that room up to the
 * message's seq (on any device) closes it.
 */

export type NotifyFrame = Extract<ServerFrame, { type: "notify" }>;

/** The part of a browser Notification this module uses. */
export type ShownNotice = {
  onclick: ((event: Event) => void) | null;
  close(): void;
};

/** What showing notifications needs of the browser; browserNoticeEnv gives the real one. */
export type NoticeEnv = {
  hidden(): boolean;
  permission(): NotificationPermission | "unsupported";
  show(title: string, options: NotificationOptions): ShownNotice;
  focus(): void;
  /** Opens a same-origin path in the app (its router). */
  open(path: string): void;
};

/** Whether this tab should show a notification now. */
export function mayShow(hidden: boolean, permission: NotificationPermission | "unsupported") {
  return hidden && permission === "granted";
}

/** The Notification's options for a frame: the shared tag replaces a push for the same message. */
export function noticeOptions(frame: NotifyFrame): NotificationOptions {
  return {
    tag: frame.tag,
    ...(frame.body !== undefined && { body: frame.body }),
    data: { url: frame.url, roomId: frame.roomId, seq: frame.seq },
  };
}

/**
 * Only a path on this origin is followed: the server sends one, and a
 * scheme or a `//host` must never turn a click into a trip elsewhere.
 */
export function safePath(url: string): string | null {
  return url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\") ? url : null;
}

type Shown = { roomId: string; seq: number; notice: ShownNotice };

/** The notifications of a room at or before `seq`: what a read of it up to `seq` closes. */
export function coveredBy<T extends { roomId: string; seq: number }>(
  shown: readonly T[],
  roomId: string,
  seq: number,
): T[] {
  return shown.filter((item) => item.roomId === roomId && item.seq <= seq);
}

/** Listens to the socket's frames and shows, opens and closes notifications. Returns the stop. */
export function startDesktopNotify(
  socket: { onFrame(listener: (frame: ServerFrame) => void): () => void },
  env: NoticeEnv,
): () => void {
  let shown: Shown[] = [];
  const drop = (item: Shown) => {
    shown = shown.filter((other) => other !== item);
  };
  const show = (frame: NotifyFrame) => {
    if (!mayShow(env.hidden(), env.permission())) return;
    const notice = env.show(frame.title, noticeOptions(frame));
    // The same tag replaces the browser's notification: keep one entry.
    shown = shown.filter((item) => !(item.roomId === frame.roomId && item.seq === frame.seq));
    const item: Shown = { roomId: frame.roomId, seq: frame.seq, notice };
    shown.push(item);
    notice.onclick = (event) => {
      event.preventDefault?.();
      env.focus();
      const path = safePath(frame.url);
      if (path) env.open(path);
      notice.close();
      drop(item);
    };
  };
  const stop = socket.onFrame((frame) => {
    if (frame.type === "notify") show(frame);
    else if (frame.type === "read") {
      for (const item of coveredBy(shown, frame.roomId, frame.seq)) {
        item.notice.close();
        drop(item);
      }
    }
  });
  return () => {
    stop();
    shown = [];
  };
}

/** The browser's side of it: window.Notification, document visibility, focus. */
export function browserNoticeEnv(open: (path: string) => void): NoticeEnv {
  return {
    hidden: () => document.visibilityState === "hidden",
    permission: () =>
      typeof Notification === "undefined" ? "unsupported" : Notification.permission,
    show: (title, options) => new Notification(title, options),
    focus: () => window.focus(),
    open,
  };
}
