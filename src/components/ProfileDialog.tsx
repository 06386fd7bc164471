import { useRouter } from "@tanstack/react-router";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { DetailsField } from "../core/profile-details";
import type { WireUser } from "../protocol/frames";
import { saveProfileFn } from "../server/fns/profile";
import { myDetailsFn, saveDetailsFn } from "../server/fns/profile-details";
import { Modal } from "./Modal";
import {
  AvatarField,
  browserZone,
  type DetailsForm,
  ProfileDetailsFields,
} from "./ProfileDetailsFields";

type Field = "name" | "handle";

const input =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200";

/**
 * The dialog "Profile": the signed-in user's "Display name" and "Handle",
 * saved with the sign-up rules. A refusal (a handle taken, a bad name, the
 * connection) keeps what was typed, names the cause next to the field at
 * fault and focuses it; saving closes the dialog.
 */
export function ProfileDialog({
  user,
  onClose,
  onSaved,
}: {
  user: WireUser;
  onClose: () => void;
  onSaved: (user: WireUser) => void;
}) {
  const id = useId();
  const router = useRouter();
  const [name, setName] = useState(user.name);
  const [handle, setHandle] = useState(user.handle ?? "");
  const [error, setError] = useState<{ field: Field | null; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const fields = { name: useRef<HTMLInputElement>(null), handle: useRef<HTMLInputElement>(null) };
  // Status and time zone (issue 14): loaded when the dialog opens, saved only when changed.
  const [details, setDetails] = useState<DetailsForm | null>(null);
  const loaded = useRef<DetailsForm | null>(null);
  const [detailsError, setDetailsError] = useState<{ field: DetailsField; text: string } | null>(
    null,
  );
  const detailRefs = {
    status: useRef<HTMLInputElement>(null),
    emoji: useRef<HTMLInputElement>(null),
    clearAfter: useRef<HTMLSelectElement>(null),
    timeZone: useRef<HTMLSelectElement>(null),
  };
  useEffect(() => {
    let live = true;
    const fallback = (): DetailsForm => ({
      status: "",
      emoji: "",
      clearAfter: "today",
      timeZone: browserZone(),
    });
    myDetailsFn().then(
      (mine) => {
        if (!live) return;
        const form: DetailsForm = mine
          ? {
              status: mine.status?.text ?? "",
              emoji: mine.status?.emoji ?? "",
              clearAfter: mine.status && mine.status.expiresAt === null ? "never" : "today",
              timeZone: mine.timeZone ?? browserZone(),
            }
          : fallback();
        loaded.current = form;
        setDetails(form);
      },
      () => live && setDetails(fallback()),
    );
    return () => {
      live = false;
    };
  }, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    setError(null);
    try {
      const answer = await saveProfileFn({ data: { name, handle } });
      if (!answer.ok) {
        setError({ field: answer.field, text: answer.error });
        if (answer.field) fields[answer.field].current?.focus();
        return;
      }
      onSaved(answer.user);
      const before = loaded.current;
      const changed =
        details !== null &&
        (before === null ||
          (Object.keys(details) as (keyof DetailsForm)[]).some(
            (key) => details[key] !== before[key],
          ));
      if (details && changed) {
        setDetailsError(null);
        const saved = await saveDetailsFn({ data: { ...details, browserZone: browserZone() } });
        if (!saved.ok) {
          if (saved.field) {
            setDetailsError({ field: saved.field, text: saved.error });
            detailRefs[saved.field].current?.focus();
          } else {
            setError({ field: null, text: saved.error });
          }
          return;
        }
        loaded.current = details;
      }
      // The pages' loaders hold the user too (the header's name): load them again.
      void router.invalidate();
      onClose();
    } catch {
      setError({ field: null, text: "Could not save: check the connection and try again." });
    } finally {
      setSaving(false);
    }
  }

  const errorOn = (field: Field) => (error?.field === field ? error.text : null);
  const row = (field: Field, label: string, value: string, set: (v: string) => void) => {
    const fieldError = errorOn(field);
    const hint = field === "handle" ? "2 to 32 of a-z, 0-9, dots, dashes and underscores." : null;
    const described = [hint && `${id}-${field}-hint`, fieldError && `${id}-${field}-error`]
      .filter(Boolean)
      .join(" ");
    return (
      <div className="space-y-1">
        <label htmlFor={`${id}-${field}`} className="block text-sm font-medium">
          {label}
        </label>
        <div className="flex items-center gap-1">
          {field === "handle" && (
            <span aria-hidden="true" className="text-slate-600">
              @
            </span>
          )}
          <input
            ref={fields[field]}
            id={`${id}-${field}`}
            value={value}
            onChange={(event) => set(event.target.value)}
            autoComplete={field === "name" ? "name" : "username"}
            spellCheck={false}
            required
            data-autofocus={field === "name" ? true : undefined}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={described || undefined}
            className={input}
          />
        </div>
        {hint && (
          <p id={`${id}-${field}-hint`} className="text-sm text-slate-600">
            {hint}
          </p>
        )}
        {fieldError && (
          <p id={`${id}-${field}-error`} role="alert" className="text-sm text-red-700">
            {fieldError}
          </p>
        )}
      </div>
    );
  };

  return (
    <Modal title="Profile" onClose={onClose}>
      <form onSubmit={save} className="flex flex-col gap-3" noValidate>
        {row("name", "Display name", name, setName)}
        {row("handle", "Handle", handle, setHandle)}
        <p className="text-sm text-slate-600">
          Mentions of your old handle in earlier messages change to the new one.
        </p>
        <AvatarField user={user} />
        {details ? (
          <ProfileDetailsFields
            form={details}
            onChange={setDetails}
            error={detailsError}
            refs={detailRefs}
          />
        ) : (
          <p className="text-sm text-slate-600">Loading your status…</p>
        )}
        {error && error.field === null && (
          <p role="alert" className="text-sm text-red-700">
            {error.text}
          </p>
        )}
        <div className="flex justify-end">
          <button
            type="submit"
            disabled={saving}
            className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
          >
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}
