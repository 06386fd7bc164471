import { type PushOutcome, subscribeToPush } from "./push-subscribe";

/**
 * Asks the browser for permission to show notifications: only from the
 * "Enable desktop notifications" button (a user gesture), never on page
 * load. Resolves with the browser's answer, or "unsupported" where there
 * is no Notification API. After a grant this browser also subscribes to
 * Web Push (push-subscribe.ts); `onPush` hears how that went, so the page
 * can say why push is off while desktop notifications work.
 */
export async function requestDesktopPermission(
  onPush?: (outcome: PushOutcome) => void,
): Promise<NotificationPermission | "unsupported"> {
  if (typeof Notification === "undefined") return "unsupported";
  const permission =
    Notification.permission === "default"
      ? await Notification.requestPermission()
      : Notification.permission;
  if (permission === "granted") void subscribeToPush().then((outcome) => onPush?.(outcome));
  return permission;
}
