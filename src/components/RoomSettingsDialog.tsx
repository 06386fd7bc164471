import { useId, useState } from "react";
import { ActionRefused } from "../client/chat-client";
import { useChatClient, useChatSelector } from "../client/hooks/chat-context";
import { refusalOf } from "../client/room-actions";
import { isAdmin } from "../core/policy";
import { checkRoomSettings, ROOM_TOPIC_MAX, type RoomSettingsPatch } from "../core/room-settings";
import type { RoomSummary } from "../protocol/frames";
import { setRoomArchivedFn } from "../server/fns/room-admin";
import { Modal } from "./Modal";

type Room = Pick<RoomSummary, "id" | "kind" | "name" | "topic" | "announcementOnly" | "archived">;

/**
 * Whether the signed-in user administers the room: its moderator (the
 * room summary's `role`, live through member_updated) or a server admin
 * (`serverRole`, read at each connect). Known at once, so a moderator
 * never sees the "only moderators" notice flash; the server asks again
 * (fresh from the database) on every action.
 */
export function useAdministers(room: Pick<RoomSummary, "kind" | "role">): boolean {
  const serverRole = useChatSelector((c) => c.serverRole, null);
  if (room.kind === "dm") return false;
  return room.role === "moderator" || isAdmin(serverRole ?? undefined);
}

/** The header's "Room settings" button and its dialog (issue 14; moderators and admins only). */
export function RoomSettingsButton({ room }: { room: Room }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        Room settings
      </button>
      {open && <RoomSettingsDialog room={room} onClose={() => setOpen(false)} />}
    </>
  );
}

/** A refusal in the server's words when they are meant for people (the rules' sentences). */
function wordsOf(error: unknown): string {
  if (
    error instanceof ActionRefused &&
    (error.code === "bad_frame" || error.code === "forbidden")
  ) {
    return error.message;
  }
  return refusalOf(error);
}

type Field = "name" | "topic" | "form";

/**
 * "Room settings": "Room name", "Topic", "Announcement only" and "Save"
 * (over the socket, room_settings), and "Archive room" / "Unarchive room"
 * (setRoomArchivedFn). A refusal shows next to the field it is about.
 */
export function RoomSettingsDialog({ room, onClose }: { room: Room; onClose: () => void }) {
  const client = useChatClient();
  const ready = useChatSelector((c) => c.user !== null && c.status === "connected", false);
  const [name, setName] = useState(room.name);
  const [topic, setTopic] = useState(room.topic ?? "");
  const [announcementOnly, setAnnouncementOnly] = useState(room.announcementOnly === true);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const nameId = useId();
  const topicId = useId();
  const nameError = useId();
  const topicError = useId();
  const formError = useId();
  const archived = room.archived === true;

  async function save(event: React.FormEvent) {
    event.preventDefault();
    const patch: RoomSettingsPatch = {};
    if (name !== room.name) patch.name = name;
    if (topic !== (room.topic ?? "")) patch.topic = topic;
    if (announcementOnly !== (room.announcementOnly === true))
      patch.announcementOnly = announcementOnly;
    if (Object.keys(patch).length === 0) {
      setErrors({});
      setStatus("Nothing to save.");
      return;
    }
    const checked = checkRoomSettings(patch);
    if (!checked.ok) {
      setErrors({
        [checked.field === "topic" ? "topic" : checked.field === "name" ? "name" : "form"]:
          checked.error,
      });
      setStatus("");
      return;
    }
    if (!client) return;
    setBusy(true);
    setErrors({});
    setStatus("Saving…");
    try {
      await client.roomSettings(room.id, patch);
      setStatus("Saved.");
    } catch (error) {
      const words = wordsOf(error);
      // Name refusals (taken, look-alike) name the room; the rest is the form's.
      const field: Field = patch.name !== undefined && /room|name/i.test(words) ? "name" : "form";
      setErrors({ [field]: words });
      setStatus("");
    } finally {
      setBusy(false);
    }
  }

  async function archive(next: boolean) {
    setBusy(true);
    setErrors({});
    setStatus(next ? "Archiving…" : "Unarchiving…");
    try {
      const answer = await setRoomArchivedFn({ data: { roomId: room.id, archived: next } });
      if (answer.ok) setStatus(next ? "Archived." : "Unarchived.");
      else {
        setErrors({ form: answer.error });
        setStatus("");
      }
    } catch {
      setErrors({ form: "Something went wrong. Try again." });
      setStatus("");
    } finally {
      setBusy(false);
    }
  }

  const input =
    "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 aria-invalid:border-red-700";
  return (
    <Modal title="Room settings" onClose={onClose}>
      <form onSubmit={save} noValidate className="flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={nameId} className="text-sm font-medium text-slate-800">
            Room name
          </label>
          <input
            id={nameId}
            data-autofocus
            value={name}
            disabled={archived}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? nameError : undefined}
            className={input}
          />
          {errors.name && (
            <p id={nameError} className="text-sm text-red-700">
              {errors.name}
            </p>
          )}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={topicId} className="text-sm font-medium text-slate-800">
            Topic
          </label>
          <input
            id={topicId}
            value={topic}
            maxLength={ROOM_TOPIC_MAX * 4}
            disabled={archived}
            onChange={(event) => setTopic(event.target.value)}
            aria-invalid={errors.topic ? true : undefined}
            aria-describedby={errors.topic ? topicError : undefined}
            className={input}
          />
          {errors.topic && (
            <p id={topicError} className="text-sm text-red-700">
              {errors.topic}
            </p>
          )}
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            checked={announcementOnly}
            disabled={archived}
            onChange={(event) => setAnnouncementOnly(event.target.checked)}
            className="h-4 w-4 accent-indigo-600"
          />
          Announcement only
        </label>
        {errors.form && (
          <p id={formError} className="text-sm text-red-700">
            {errors.form}
          </p>
        )}
        <div className="flex flex-wrap items-center justify-between gap-2">
          <button
            type="button"
            disabled={busy}
            onClick={() => void archive(!archived)}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-60"
          >
            {archived ? "Unarchive room" : "Archive room"}
          </button>
          <button
            type="submit"
            disabled={busy || archived || !ready}
            className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:opacity-60"
          >
            Save
          </button>
        </div>
        <p role="status" className="min-h-5 text-sm text-slate-700">
          {status}
        </p>
      </form>
    </Modal>
  );
}
