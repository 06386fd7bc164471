import { type FormEvent, useId, useState } from "react";

/**
 * Invites someone to a private room by name. The result is only known once
 * they appear in the member list, so `onInvite` resolves true or false.
 */
export function InviteForm({
  disabled,
  onInvite,
}: {
  disabled: boolean;
  onInvite: (name: string) => Promise<boolean>;
}) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("userName") ?? "").trim();
    if (!name) return;
    setBusy(true);
    setNote(null);
    try {
      const ok = await onInvite(name);
      setNote(ok ? { ok, text: `${name} was added.` } : { ok, text: `Could not add "${name}".` });
      if (ok) form.reset();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      method="post"
      aria-label="Invite"
      onSubmit={submit}
      className="space-y-1.5 px-2"
      noValidate
    >
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        User name
      </label>
      <div className="flex gap-1.5">
        <input
          id={id}
          name="userName"
          autoComplete="off"
          maxLength={100}
          className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1 text-sm outline-none focus:border-indigo-500"
        />
        <button
          type="submit"
          disabled={busy || disabled}
          className="rounded-md bg-slate-800 px-2.5 py-1 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50"
        >
          Invite
        </button>
      </div>
      <p
        aria-live="polite"
        className={`min-h-4 text-xs ${note?.ok ? "text-emerald-700" : "text-red-600"}`}
      >
        {note?.text}
      </p>
    </form>
  );
}
