import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { requestDesktopPermission } from "../client/desktop-permission";
import { useChatClient, useChatSelector, useConnectionStatus } from "../client/hooks/chat-context";
import { useDocTitle } from "../client/hooks/useDocTitle";
import { refusalOf } from "../client/room-actions";
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from "../protocol/frames";
import { ConnectionStatus } from "./ConnectionStatus";
import { NotifyLevelRadios } from "./NotifyLevelRadios";

const PERMISSION_TEXT: Record<NotificationPermission | "unsupported", string> = {
  granted: "Desktop notifications are on for this browser.",
  denied: "This browser blocks notifications from Parley. Allow them in the site settings.",
  default: "Not decided yet: the browser did not ask, or the question was dismissed.",
  unsupported: "This browser cannot show desktop notifications.",
};

/**
 * /settings/notifications: desktop permission (asked only from its button,
 * never on load), missed-message email, message text in notifications and
 * the default level. Each change is saved over the socket at once; what
 * shows is the server's state, the change being saved meanwhile.
 */
export function NotificationSettingsPage() {
  useDocTitle();
  const client = useChatClient();
  const status = useConnectionStatus();
  const stored = useChatSelector((c) => c.notifySettings(), DEFAULT_NOTIFY_SETTINGS);
  const ready = useChatSelector((c) => c.user !== null && c.status === "connected", false);
  const [saving, setSaving] = useState<NotifySettings | null>(null);
  const [saved, setSaved] = useState("");
  const [permission, setPermission] = useState("");
  // How Web Push went after a grant: desktop notifications work without it.
  const [push, setPush] = useState("");
  const settings = saving ?? stored;

  async function save(next: NotifySettings) {
    if (!client) return;
    setSaving(next);
    setSaved("Saving…");
    try {
      await client.setNotifySettings(next);
      setSaved("Saved.");
    } catch (error) {
      setSaved(`Not saved: ${refusalOf(error)}`);
    } finally {
      setSaving(null);
    }
  }

  async function enableDesktop() {
    setPush("");
    const answer = await requestDesktopPermission((outcome) =>
      setPush(
        outcome.ok
          ? "Push notifications are on for this browser, also with Parley closed."
          : `Push notifications are off for this browser: ${outcome.reason}`,
      ),
    );
    setPermission(PERMISSION_TEXT[answer]);
  }

  const box = "h-4 w-4 accent-indigo-600";
  return (
    <div className="flex min-h-full flex-col bg-white">
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
        <Link to="/" className="text-lg font-bold text-indigo-700 hover:text-indigo-900">
          Parley
        </Link>
        <ConnectionStatus status={status} />
      </header>
      <main className="mx-auto flex w-full max-w-xl flex-col gap-6 px-4 py-6">
        <h1 className="text-xl font-semibold text-slate-900">Notification settings</h1>
        <section aria-labelledby="desktop-heading" className="flex flex-col gap-2">
          <h2 id="desktop-heading" className="text-base font-semibold text-slate-900">
            This browser
          </h2>
          <p className="text-sm text-slate-700">
            Parley shows a notification for mentions and DMs when none of your tabs is in view.
          </p>
          <button
            type="button"
            onClick={() => void enableDesktop()}
            className="self-start rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Enable desktop notifications
          </button>
          <p aria-live="polite" className="min-h-5 text-sm text-slate-700">
            {permission}
            {push && ` ${push}`}
          </p>
        </section>
        <section aria-labelledby="everywhere-heading" className="flex flex-col gap-3">
          <h2 id="everywhere-heading" className="text-base font-semibold text-slate-900">
            On every device
          </h2>
          <NotifyLevelRadios
            value={settings.defaultLevel}
            disabled={!ready}
            onChange={(defaultLevel) => void save({ ...settings, defaultLevel })}
          />
          <p className="text-xs text-slate-600">
            The level of every room you have not set one for; direct messages notify about all
            messages unless you set them otherwise.
          </p>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={settings.email}
              disabled={!ready}
              onChange={(event) => void save({ ...settings, email: event.target.checked })}
              className={box}
            />
            Email me about missed mentions and DMs
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={settings.showText}
              disabled={!ready}
              onChange={(event) => void save({ ...settings, showText: event.target.checked })}
              className={box}
            />
            Show message text in notifications
          </label>
          {/* Polite, not role=status: the page's status is the connection's. */}
          <p aria-live="polite" className="min-h-5 text-sm text-slate-700">
            {saved}
          </p>
        </section>
      </main>
    </div>
  );
}
