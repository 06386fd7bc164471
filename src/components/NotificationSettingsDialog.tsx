import { Link } from "@tanstack/react-router";
import { useId, useState } from "react";
import { useChatClient, useChatSelector } from "../client/hooks/chat-context";
import { refusalOf } from "../client/room-actions";
import { effectiveLevel } from "../core/notify";
import { DEFAULT_NOTIFY_SETTINGS, type RoomNotify, type RoomSummary } from "../protocol/frames";
import { Modal } from "./Modal";
import { NotifyLevelRadios } from "./NotifyLevelRadios";

const NO_PREFS: RoomNotify = { level: null, muted: false };

/**
 * "Notification settings" for one room (issue 13): the level ("Notify me
 * about", the room's effective one checked, its default marked) and "Mute
 * room". Each change is saved over the socket at once; what shows is the
 * server's state (every tab of the user hears it), the change being saved
 * shown meanwhile.
 */
export function NotificationSettingsDialog({
  room,
  onClose,
}: {
  room: Pick<RoomSummary, "id" | "kind" | "name">;
  onClose: () => void;
}) {
  const client = useChatClient();
  const stored = useChatSelector((c) => c.roomNotify(room.id), NO_PREFS);
  const settings = useChatSelector((c) => c.notifySettings(), DEFAULT_NOTIFY_SETTINGS);
  const ready = useChatSelector((c) => c.user !== null && c.status === "connected", false);
  const [saving, setSaving] = useState<RoomNotify | null>(null);
  const [status, setStatus] = useState("");
  const muteHint = useId();
  const prefs = saving ?? stored;
  const fallback = room.kind === "dm" ? "all" : settings.defaultLevel;
  const level = effectiveLevel(prefs.level, room.kind, settings.defaultLevel);

  async function save(next: RoomNotify) {
    if (!client) return;
    setSaving(next);
    setStatus("Saving…");
    try {
      await client.setRoomNotify(room.id, next);
      setStatus("Saved.");
    } catch (error) {
      setStatus(`Not saved: ${refusalOf(error)}`);
    } finally {
      setSaving(null);
    }
  }

  return (
    <Modal title="Notification settings" onClose={onClose}>
      <p className="text-sm text-slate-700">
        For {room.kind === "dm" ? room.name : `#${room.name}`}.
      </p>
      <NotifyLevelRadios
        value={level}
        defaultLevel={fallback}
        disabled={!ready}
        onChange={(next) => void save({ ...prefs, level: next })}
      />
      {prefs.level !== null && (
        <button
          type="button"
          disabled={!ready}
          onClick={() => void save({ ...prefs, level: null })}
          className="self-start rounded text-sm text-indigo-700 underline hover:text-indigo-900 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-60"
        >
          Use my default
        </button>
      )}
      <div className="flex flex-col gap-0.5">
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            checked={prefs.muted}
            disabled={!ready}
            aria-describedby={muteHint}
            onChange={(event) => void save({ ...prefs, muted: event.target.checked })}
            className="h-4 w-4 accent-indigo-600"
          />
          Mute room
        </label>
        <p id={muteHint} className="pl-6 text-xs text-slate-600">
          No notifications; dimmed in the list and left out of the tab title.
        </p>
      </div>
      <div className="flex items-center justify-between gap-2">
        <p role="status" className="min-h-5 text-sm text-slate-700">
          {status}
        </p>
        <Link
          to="/settings/notifications"
          className="text-sm text-indigo-700 underline hover:text-indigo-900"
        >
          All notification settings
        </Link>
      </div>
    </Modal>
  );
}
