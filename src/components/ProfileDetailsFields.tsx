import { useId, useRef, useState } from "react";
import { setKnownAvatar, useAvatarVersion } from "../client/avatar-directory";
import {
  AVATAR_MAX_BYTES,
  AVATAR_TOO_LARGE,
  CLEAR_AFTER,
  CLEAR_AFTER_LABELS,
  type ClearAfter,
  type DetailsField,
  STATUS_MAX,
} from "../core/profile-details";
import { Avatar } from "./Avatar";
import { EmojiPicker } from "./EmojiPicker";

export type DetailsForm = {
  status: string;
  emoji: string;
  clearAfter: ClearAfter;
  timeZone: string;
};

const input =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200";

/** The browser's own zone ("UTC" when it names none). */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The zones the select offers: the runtime's IANA list, plus `also` if it is missing. */
function zoneList(also: readonly string[]): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  const out = new Set(zones);
  for (const zone of also) if (zone) out.add(zone);
  return [...out].sort();
}

/**
 * The status and time zone fields of the dialog "Profile": "Status" (at
 * most STATUS_MAX characters), "Status emoji" (typed, or chosen with the
 * picker), "Clear after" and "Time zone". A refusal names its field.
 */
export function ProfileDetailsFields({
  form,
  onChange,
  error,
  refs,
}: {
  form: DetailsForm;
  onChange: (form: DetailsForm) => void;
  error: { field: DetailsField; text: string } | null;
  refs: Record<DetailsField, React.RefObject<HTMLInputElement | HTMLSelectElement | null>>;
}) {
  const id = useId();
  const [picking, setPicking] = useState(false);
  const zones = zoneList([form.timeZone, browserZone()]);
  const errorOf = (field: DetailsField) =>
    error?.field === field ? (
      <p id={`${id}-${field}-error`} role="alert" className="text-sm text-red-700">
        {error.text}
      </p>
    ) : null;
  const invalid = (field: DetailsField) =>
    error?.field === field
      ? { "aria-invalid": true as const, "aria-describedby": `${id}-${field}-error` }
      : {};
  return (
    <fieldset className="flex flex-col gap-3 border-t border-slate-200 pt-3">
      <legend className="sr-only">Status and time zone</legend>
      <div className="flex items-end gap-2">
        <div className="w-28 shrink-0 space-y-1">
          <label htmlFor={`${id}-emoji`} className="block text-sm font-medium">
            Status emoji
          </label>
          <input
            ref={refs.emoji as React.RefObject<HTMLInputElement>}
            id={`${id}-emoji`}
            value={form.emoji}
            onChange={(event) => onChange({ ...form, emoji: event.target.value })}
            autoComplete="off"
            className={`${input} text-center`}
            {...invalid("emoji")}
          />
        </div>
        <button
          type="button"
          onClick={() => setPicking(true)}
          className="mb-0.5 rounded-lg border border-slate-300 px-3 py-2 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          Choose emoji
        </button>
        {form.emoji !== "" && (
          <button
            type="button"
            onClick={() => onChange({ ...form, emoji: "" })}
            className="mb-0.5 rounded-lg px-2 py-2 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            Clear emoji
          </button>
        )}
      </div>
      {errorOf("emoji")}
      {picking && (
        <EmojiPicker
          title="Pick a status emoji"
          onPick={(emoji) => {
            onChange({ ...form, emoji });
            setPicking(false);
          }}
          onClose={() => setPicking(false)}
        />
      )}
      <div className="space-y-1">
        <label htmlFor={`${id}-status`} className="block text-sm font-medium">
          Status
        </label>
        <input
          ref={refs.status as React.RefObject<HTMLInputElement>}
          id={`${id}-status`}
          value={form.status}
          onChange={(event) => onChange({ ...form, status: event.target.value })}
          placeholder="What are you up to?"
          autoComplete="off"
          className={input}
          {...invalid("status")}
          aria-describedby={
            error?.field === "status" ? `${id}-status-error ${id}-status-hint` : `${id}-status-hint`
          }
        />
        <p id={`${id}-status-hint`} className="text-sm text-slate-600">
          At most {STATUS_MAX} characters. Leave it and the emoji empty to clear your status.
        </p>
        {errorOf("status")}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor={`${id}-clear`} className="block text-sm font-medium">
            Clear after
          </label>
          <select
            ref={refs.clearAfter as React.RefObject<HTMLSelectElement>}
            id={`${id}-clear`}
            value={form.clearAfter}
            onChange={(event) =>
              onChange({ ...form, clearAfter: event.target.value as ClearAfter })
            }
            className={input}
            {...invalid("clearAfter")}
          >
            {CLEAR_AFTER.map((choice) => (
              <option key={choice} value={choice}>
                {CLEAR_AFTER_LABELS[choice]}
              </option>
            ))}
          </select>
          {errorOf("clearAfter")}
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-zone`} className="block text-sm font-medium">
            Time zone
          </label>
          <select
            ref={refs.timeZone as React.RefObject<HTMLSelectElement>}
            id={`${id}-zone`}
            value={form.timeZone}
            onChange={(event) => onChange({ ...form, timeZone: event.target.value })}
            className={input}
            {...invalid("timeZone")}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          {errorOf("timeZone")}
        </div>
      </div>
    </fieldset>
  );
}

/**
 * "Avatar": the current picture (or initials), "Upload avatar" (a file
 * input; the server checks size and type and answers why not) and
 * "Remove avatar". Takes effect at once, apart from the dialog's Save.
 */
export function AvatarField({ user }: { user: { id: string; name: string } }) {
  const id = useId();
  const file = useRef<HTMLInputElement>(null);
  const version = useAvatarVersion(user.id);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  async function send(method: "POST" | "DELETE", body?: File) {
    setBusy(true);
    setMessage(null);
    try {
      const answer = await fetch("/api/avatar", {
        method,
        body,
        headers: body ? { "content-type": "application/octet-stream" } : undefined,
      });
      const json = (await answer.json().catch(() => ({}))) as {
        avatar?: string | null;
        message?: string;
      };
      if (!answer.ok) {
        setMessage({ error: true, text: json.message ?? "The avatar was not changed: try again." });
        return;
      }
      setKnownAvatar(user.id, json.avatar ?? null);
      setMessage({ error: false, text: json.avatar ? "Avatar updated." : "Avatar removed." });
    } catch {
      setMessage({ error: true, text: "Could not reach the server: check the connection." });
    } finally {
      setBusy(false);
      if (file.current) file.current.value = "";
    }
  }

  return (
    <div className="flex items-center gap-3">
      <Avatar user={user} size="lg" />
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-file`} className="text-sm font-medium">
          Upload avatar
        </label>
        <input
          ref={file}
          id={`${id}-file`}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif"
          disabled={busy}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            const chosen = event.target.files?.[0];
            if (!chosen) return;
            if (chosen.size > AVATAR_MAX_BYTES) {
              setMessage({ error: true, text: AVATAR_TOO_LARGE });
              event.target.value = "";
              return;
            }
            void send("POST", chosen);
          }}
          className="text-sm file:mr-2 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-2 file:py-1 file:text-slate-700"
        />
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          PNG, JPEG, WebP or GIF, at most 2 MB.
        </p>
        {version && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void send("DELETE")}
            className="self-start rounded-md px-2 py-1 text-sm text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-60"
          >
            Remove avatar
          </button>
        )}
        <p
          role={message?.error ? "alert" : "status"}
          className={`text-sm ${message?.error ? "text-red-700" : "text-slate-600"}`}
        >
          {message?.text}
        </p>
      </div>
    </div>
  );
}
