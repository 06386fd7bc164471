import type { Effect } from "../../core/handle-frame";
import type { DeviceChannel } from "./channels";

/**
 * The in-page channel: a `notify` frame to every socket of the person, on
 * every instance (a `user` effect goes through the relay). A hidden tab
 * shows it as a browser Notification (client/desktop-notify.ts); a read
 * needs nothing here, because every tab hears the `read` frame itself.
 */
export function createDesktopChannel(apply: (effects: Effect[]) => unknown): DeviceChannel {
  return {
    async deliver(notices) {
      apply(
        notices.map(({ userId, roomId, messageId, seq, tag, title, body, url }) => ({
          kind: "user" as const,
          userId,
          frame: {
            type: "notify" as const,
            roomId,
            messageId,
            seq,
            tag,
            title,
            url,
            ...(body !== undefined && { body }),
          },
        })),
      );
    },
    async read() {},
  };
}
