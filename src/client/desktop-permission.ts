/**
 * Asks the browser for permission to show notifications: only from the
 * "Enable desktop notifications" button (a user gesture), never on page
 * load. Resolves with the browser's answer, or "unsupported" where there
 * is no Notification API. Web Push subscribes after a grant (push-subscribe).
 */
export async function requestDesktopPermission(): Promise<NotificationPermission | "unsupported"> {
  if (typeof Notification === "undefined") return "unsupported";
  if (Notification.permission !== "default") return Notification.permission;
  return Notification.requestPermission();
}
