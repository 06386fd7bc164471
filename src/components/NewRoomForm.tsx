import { type FormEvent, useEffect, useId, useRef, useState } from "react";

/**
 * "New room" button that opens a small form (name, "Private room"); shows
 * the server's error under the field.
 */
export function NewRoomForm({
  onCreate,
}: {
  onCreate: (name: string, isPrivate: boolean) => Promise<string | null>;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  /** Cancelled (not created): focus goes back to the "New room" button. */
  const reopen = useRef(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "");
    setBusy(true);
    try {
      const failure = await onCreate(name, data.get("private") === "on");
      setError(failure);
      if (!failure) {
        form.reset();
        setOpen(false);
      }
    } catch {
      setError("Could not create the room. Try again.");
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    setOpen(false);
    setError(null);
    reopen.current = true;
  }
  useEffect(() => {
    if (open || !reopen.current) return;
    reopen.current = false;
    opener.current?.focus();
  }, [open]);

  if (!open) {
    return (
      <button
        ref={opener}
        type="button"
        onClick={() => setOpen(true)}
        className="mx-2 rounded-md border border-dashed border-slate-300 px-2 py-1.5 text-left text-sm text-slate-600 hover:border-indigo-400 hover:text-indigo-700"
      >
        New room
      </button>
    );
  }
  return (
    <form
      method="post"
      onSubmit={submit}
      // Escape closes the form like Cancel (and the focus goes back to "New room").
      onKeyDown={(event) => {
        if (event.key !== "Escape" || event.defaultPrevented) return;
        event.preventDefault();
        cancel();
      }}
      className="mx-2 space-y-2"
      noValidate
    >
      <label htmlFor={`${id}-name`} className="block text-xs font-medium text-slate-600">
        Room name
      </label>
      <input
        id={`${id}-name`}
        name="name"
        // biome-ignore lint/a11y/noAutofocus: the person just asked for this form
        autoFocus
        maxLength={60}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm outline-none focus:border-indigo-500"
      />
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
      <label className="flex items-center gap-2 text-xs text-slate-600">
        <input
          type="checkbox"
          name="private"
          className="h-3.5 w-3.5 rounded border-slate-300 accent-indigo-600"
        />
        Private room
      </label>
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          Create
        </button>
        <button
          type="button"
          onClick={cancel}
          className="rounded-md px-3 py-1 text-sm text-slate-600 hover:bg-slate-200"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
