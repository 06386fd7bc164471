import { useCallback, useEffect, useRef, useState } from "react";
import type { ModerationAction } from "../client/chat-client";
import type { RoomSummary, WireMember, WireUser } from "../protocol/frames";
import { blockedUsersFn, blockUserFn, searchUsersFn, unblockUserFn } from "../server/fns/people";
import { InvitePeople } from "./InvitePeople";
import { MemberItem } from "./MemberItem";
import { useAdministers } from "./RoomSettingsDialog";

type Props = {
  room: RoomSummary;
  members: readonly WireMember[];
  /** How many members the room has: more than `members` in a large room, paged (issue 16). */
  memberCount?: number;
  /** More pages of members to ask for ("Show more members"). */
  moreMembers?: boolean;
  onMoreMembers?: () => Promise<void> | undefined;
  me: WireUser;
  connected: boolean;
  /**
   * The "Members" toggle: true or false as chosen, null for the default by
   * width (CSS, so the server's markup is right too): open from 1100 px,
   * closed below. Below 768 px an open panel is a sheet over the page.
   */
  open: boolean | null;
  id: string;
  onMessage: (member: WireMember) => Promise<string | null>;
  /** Resolves once the person (by id) is a member; rejects with the refusal. */
  onInvite: (userId: string) => Promise<void>;
  /** Resolves null once left, else why not (shown by the Leave button). */
  onLeave: () => Promise<string | null>;
  onClose: () => void;
  /** A moderator's action on a member (shown when the reader moderates the room). */
  onModerate?: (userId: string, action: ModerationAction) => Promise<void>;
};

const byPresenceThenName = (a: WireMember, b: WireMember) =>
  Number(b.online) - Number(a.online) || a.name.localeCompare(b.name);

/** The "Members" landmark: who is here (online first), DMs, blocks, invites and leaving. */
export function MembersPanel({
  room,
  members,
  memberCount = members.length,
  moreMembers = false,
  onMoreMembers,
  me,
  connected,
  open,
  id,
  ...actions
}: Props) {
  const [busy, setBusy] = useState(false);
  // Room moderators and server admins (who moderate every room) get the menu.
  const moderates = useAdministers(room);
  const [error, setError] = useState<string | null>(null);
  const [leaveError, setLeaveError] = useState<string | null>(null);
  const [blocked, setBlocked] = useState<ReadonlySet<string>>(() => new Set());
  // Who the user blocked, for the Block / Unblock buttons (empty until known).
  useEffect(() => {
    let live = true;
    blockedUsersFn()
      .then((answer) => {
        if (live && answer.ok) setBlocked(new Set(answer.userIds));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const searchPeople = useCallback((q: string) => searchUsersFn({ data: { q } }), []);
  const closeButton = useRef<HTMLButtonElement>(null);
  // The phone sheet covers the page: move focus into it when it opens
  // (its "Close" button is not shown from 768 px, so this does nothing there).
  useEffect(() => {
    if (open) closeButton.current?.focus();
  }, [open]);
  const shown = open === null ? "hidden min-[1100px]:flex" : open ? "flex" : "hidden";
  const sorted = [...members].sort(byPresenceThenName);
  const online = members.filter((m) => m.online).length;

  async function run(action: () => Promise<string | null | undefined>) {
    setBusy(true);
    setError(null);
    try {
      setError((await action()) ?? null);
    } catch {
      setError("Something went wrong. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <aside
      id={id}
      aria-label="Members"
      // The phone sheet closes on Escape like any popover (a control inside that
      // uses Escape itself prevents the default; the "Invite people" dialog
      // keeps its Escape to itself).
      onKeyDown={(event) => {
        if (event.key !== "Escape" || event.defaultPrevented) return;
        if (!closeButton.current?.checkVisibility()) return;
        event.preventDefault();
        actions.onClose();
      }}
      // On phones a sheet over the right edge; from md up a column.
      className={`${shown} fixed inset-y-0 right-0 z-40 w-72 max-w-[85vw] shrink-0 flex-col gap-4 overflow-y-auto border-l border-slate-200 bg-slate-50 p-3 shadow-xl md:static md:w-60 md:shadow-none`}
    >
      <button
        ref={closeButton}
        type="button"
        onClick={actions.onClose}
        className="self-end rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-200 md:hidden"
      >
        Close
      </button>
      <h2 className="px-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        Members
        {members.length > 0 && !moreMembers && (
          <span className="ml-1 font-normal normal-case">
            · {online} of {members.length} online
          </span>
        )}
        {moreMembers && (
          // Paged: who is online among those not loaded yet is not known here.
          <span className="ml-1 font-normal normal-case">
            · {memberCount.toLocaleString("en-US")} members
          </span>
        )}
      </h2>
      {sorted.length > 0 && (
        <ul className="flex flex-col gap-0.5">
          {sorted.map((member) => (
            <MemberItem
              key={member.id}
              member={member}
              isMe={member.id === me.id}
              busy={busy}
              blocked={blocked.has(member.id)}
              moderates={moderates && actions.onModerate !== undefined}
              onModerate={(m, action) =>
                run(async () => {
                  try {
                    await actions.onModerate?.(m.id, action);
                    return null;
                  } catch (error) {
                    return error instanceof Error ? error.message : "Something went wrong.";
                  }
                })
              }
              onMessage={(m) => run(() => actions.onMessage(m))}
              onBlock={(m, block) =>
                run(async () => {
                  const fn = block ? blockUserFn : unblockUserFn;
                  const answer = await fn({ data: { userId: m.id } });
                  if (!answer.ok) return answer.error;
                  setBlocked((old) => {
                    const next = new Set(old);
                    if (block) next.add(m.id);
                    else next.delete(m.id);
                    return next;
                  });
                  return null;
                })
              }
            />
          ))}
        </ul>
      )}
      {moreMembers && onMoreMembers && (
        <button
          type="button"
          disabled={!connected}
          onClick={() => void onMoreMembers()?.catch(() => undefined)}
          className="mx-2 rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 disabled:opacity-50"
        >
          Show more members
        </button>
      )}
      {error && (
        <p role="alert" className="px-2 text-xs text-red-600">
          {error}
        </p>
      )}
      {/* Any room but a DM takes invites (core/policy mayInvite). */}
      {room.kind !== "dm" && (
        <InvitePeople
          memberIds={new Set(members.map((m) => m.id))}
          onInvite={actions.onInvite}
          onSearch={searchPeople}
        />
      )}
      {!room.isDefault && (
        <div className="mx-2 mt-auto flex flex-col gap-1">
          {leaveError && (
            <p role="alert" className="text-xs text-red-700">
              {leaveError}
            </p>
          )}
          <button
            type="button"
            disabled={busy || !connected}
            onClick={() =>
              run(async () => {
                setLeaveError(null);
                setLeaveError(await actions.onLeave());
                return null;
              })
            }
            className="rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-600 hover:border-red-300 hover:bg-red-50 hover:text-red-700 disabled:opacity-50"
          >
            Leave room
          </button>
        </div>
      )}
    </aside>
  );
}
