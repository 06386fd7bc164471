import { useNavigate } from "@tanstack/react-router";
import { useRef, useState } from "react";
import { focusComposerSoon } from "../client/hooks/useArrivalFocus";
import type { PersonOption } from "../core/people-search";
import { searchUsersFn } from "../server/fns/people";
import { openDmFn } from "../server/fns/rooms";
import { Modal } from "./Modal";
import { PeoplePicker } from "./PeoplePicker";

const searchPeople = (q: string) => searchUsersFn({ data: { q } });

/**
 * "New message" (issue 17): the button by the "Direct messages" heading
 * (sidebar and phone drawer alike, both render RoomNav) and the dialog of
 * that name around the people picker. Picking a person opens the DM with
 * them through openDmFn, the path of the members panel's "Message <name>"
 * (created on first use, refused across a block), goes there and puts
 * focus in its composer.
 */
export function NewMessage() {
  const [open, setOpen] = useState(false);
  // Set when a pick opened a DM: the dialog hands focus back to this button
  // (Modal does, when the button is still there: a DM with the person one
  // is already talking to), and the button passes it on to the composer.
  const toComposer = useRef(false);
  return (
    <>
      <button
        type="button"
        aria-label="New message"
        title="New message"
        onClick={() => setOpen(true)}
        onFocus={(event) => {
          if (!toComposer.current) return;
          toComposer.current = false;
          event.currentTarget.blur();
          focusComposerSoon();
        }}
        className="rounded p-0.5 text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4">
          <path d="M8 3v10M3 8h10" fill="none" stroke="currentColor" strokeWidth="1.8" />
        </svg>
      </button>
      {open && (
        <NewMessageDialog
          onClose={() => setOpen(false)}
          onOpened={() => {
            toComposer.current = true;
            setOpen(false);
            // When the page around the button went (another room, another
            // page), nothing hands focus back: the composer takes it once free.
            requestAnimationFrame(() => focusComposerSoon());
          }}
        />
      )}
    </>
  );
}

function NewMessageDialog({
  onClose,
  onOpened,
}: {
  onClose: () => void;
  /** After the move to the DM: closes the dialog and sends focus to the composer. */
  onOpened: () => void;
}) {
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function pick(person: PersonOption): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      const answer = await openDmFn({ data: { userId: person.id } });
      if (!answer.ok) {
        setError(answer.error);
        return false;
      }
      await navigate({ to: "/r/$slug", params: { slug: answer.slug } });
      onOpened();
      return true;
    } catch {
      setError("Could not open the conversation. Check the connection and try again.");
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="New message" onClose={onClose}>
      <PeoplePicker onSearch={searchPeople} onPick={pick} busy={busy} />
      <p role="alert" className="min-h-5 text-sm text-red-700 empty:hidden">
        {error ?? ""}
      </p>
    </Modal>
  );
}
