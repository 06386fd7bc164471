/**
 * What the notifier (notifier.server.ts) hands to the ways a person is told
 * of a message (issue 13). It decides once per message and member
 * (core/notify decideNotify); a channel only delivers.
 *
 * - Device channels reach a person now, where they are not looking: the
 *   in-page `notify` frame for hidden tabs (desktop.server.ts), Web Push
 *   (server/push). Both use the notice's `tag`, so a browser that gets both
 *   shows one notification.
 * - The email channel queues a missed-message email that is sent later, if
 *   the message is still unread then (server/email).
 */

/** One message, one person, shown now: everything a notification displays. */
export type DeviceNotice = {
  userId: string;
  roomId: string;
  messageId: string;
  seq: number;
  /** notifyTag(roomId, seq): the same for the page's and the push's notification. */
  tag: string;
  /** Room and author. */
  title: string;
  /** The text; absent when the person hides message text in notifications. */
  body?: string;
  /** The message's link on this server (a path: `/r/<slug>?m=<seq>`). */
  url: string;
};

export interface DeviceChannel {
  /** Best effort: a failure is the channel's to log, never the sender's. */
  deliver(notices: readonly DeviceNotice[]): Promise<void>;
  /** The person read the room up to `seq` on some device: withdraw what was shown for it. */
  read(userId: string, roomId: string, seq: number): Promise<void>;
}

/** One unread mention or DM that may go into a missed-message email. */
export type EmailNotice = {
  userId: string;
  roomId: string;
  messageId: string;
  seq: number;
  mentioned: boolean;
  dm: boolean;
};

export interface EmailChannel {
  /** Queues them (in the database: a restart loses none). */
  enqueue(notices: readonly EmailNotice[]): Promise<void>;
}
