import { useState } from "react";
import type { RoomSummary } from "../protocol/frames";
import { InviteForm } from "./InviteForm";
import { Modal } from "./Modal";
import { useAdministers } from "./RoomSettingsDialog";

/**
 * The room header's "Invite link" (issue 14): for the room's moderators
 * and admins, a link that signs people up (under any sign-up policy) and
 * joins them to this room. Hidden for everyone else and in DMs.
 */
export function RoomInviteLink({ room }: { room: RoomSummary }) {
  // The same rule as "Room settings"; creating the link asks it again on the server.
  const allowed = useAdministers(room);
  const [open, setOpen] = useState(false);
  if (!allowed) return null;
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        Invite link
      </button>
      {open && (
        <Modal title={`Invite link for #${room.name}`} onClose={() => setOpen(false)}>
          <p className="text-sm text-slate-600">
            Anyone with the link can create an account here and joins this room; a signed-in person
            who opens it joins the room.
          </p>
          <InviteForm roomId={room.id} allowGuest={false} />
        </Modal>
      )}
    </>
  );
}
