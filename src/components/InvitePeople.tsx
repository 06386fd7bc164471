import { useState } from "react";
import { alreadyMember, inviteFailure } from "../client/invite-errors";
import { type PersonOption, personLabel } from "../core/people-search";
import { Modal } from "./Modal";
import { type PeopleAnswer, PeoplePicker } from "./PeoplePicker";

/**
 * "Invite people" (issue 17): a button in the members panel opening the
 * dialog of that name around the people picker. Picking a person invites
 * them by id at once; the dialog stays open for the next one and says who
 * was invited, or why not in the real cause's words (client/invite-errors).
 * Members are marked in the list and picking one says so without sending.
 */
export function InvitePeople({
  memberIds,
  onInvite,
  onSearch,
}: {
  memberIds: ReadonlySet<string>;
  /** Resolves once the person is a member; rejects with the refusal. */
  onInvite: (userId: string) => Promise<void>;
  onSearch: (q: string) => Promise<PeopleAnswer>;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="mx-2 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
      >
        Invite people
      </button>
      {open && (
        <InviteDialog
          memberIds={memberIds}
          onInvite={onInvite}
          onSearch={onSearch}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

function InviteDialog({
  memberIds,
  onInvite,
  onSearch,
  onClose,
}: {
  memberIds: ReadonlySet<string>;
  onInvite: (userId: string) => Promise<void>;
  onSearch: (q: string) => Promise<PeopleAnswer>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  async function pick(person: PersonOption): Promise<boolean> {
    if (memberIds.has(person.id)) {
      setNote({ ok: false, text: alreadyMember(person.name) });
      return false;
    }
    setBusy(true);
    setNote(null);
    try {
      await onInvite(person.id);
      setNote({ ok: true, text: `${personLabel(person)} was invited.` });
      return true;
    } catch (error) {
      setNote({ ok: false, text: inviteFailure(error, person.name) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="Invite people" onClose={onClose}>
      <PeoplePicker
        onSearch={onSearch}
        onPick={pick}
        busy={busy}
        badge={(person) => (memberIds.has(person.id) ? "already a member" : null)}
      />
      {/* Both always there, so a screen reader hears each new sentence. */}
      <p role="status" className="text-sm text-emerald-800">
        {note?.ok ? note.text : ""}
      </p>
      <p role="alert" className="min-h-5 text-sm text-red-700 empty:hidden">
        {note && !note.ok ? note.text : ""}
      </p>
    </Modal>
  );
}
