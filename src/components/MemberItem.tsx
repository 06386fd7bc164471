import { useId } from "react";
import type { ModerationAction } from "../client/chat-client";
import { userTag } from "../core/user-tag";
import type { WireMember } from "../protocol/frames";
import { BotBadge } from "./BotBadge";
import { type MenuAction, MessageActions } from "./MessageActions";
import { ProfileNameButton } from "./ProfileCard";

/**
 * One member: named "Bob, online" / "Bob, offline" for assistive tech
 * (the dot is only visual), described by their @handle (unique, so it
 * tells two people of one name apart; shown under the name), with a
 * "Message Bob" button and a "Block Bob" / "Unblock Bob" button for others.
 * A member without a handle (a row older than handles) shows the "#3f9a"
 * tag beside the name instead; the tag beside a handle only took the
 * room a long name needs.
 */
export function MemberItem({
  member,
  isMe,
  busy,
  blocked,
  onMessage,
  onBlock,
  moderates = false,
  onModerate,
}: {
  member: WireMember;
  isMe: boolean;
  busy: boolean;
  blocked: boolean;
  /** The reader moderates the room: a "Member actions" menu beside each other member. */
  moderates?: boolean;
  onModerate?: (member: WireMember, action: ModerationAction) => void;
  onMessage: (member: WireMember) => void;
  onBlock: (member: WireMember, block: boolean) => void;
}) {
  const tagId = useId();
  const state = member.online ? "online" : "offline";
  // Ignored while another action runs (the menu button stays enabled, so
  // it keeps the keyboard focus it is given back).
  const act = (action: ModerationAction) => () => {
    if (!busy) onModerate?.(member, action);
  };
  const moderation: MenuAction[] = [
    { label: "Remove from room", run: act("remove") },
    { label: "Ban from room", run: act("ban") },
    member.modMuted
      ? { label: "Unmute in room", run: act("unmute") }
      : { label: "Mute in room", run: act("mute") },
    member.role === "moderator"
      ? { label: "Remove moderator", run: act("make_member") }
      : { label: "Make moderator", run: act("make_moderator") },
  ];
  return (
    <li
      aria-label={`${member.name}, ${state}`}
      aria-describedby={member.handle ? `${tagId}-handle` : tagId}
      className="group flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-100"
    >
      <span
        aria-hidden="true"
        className={`h-2 w-2 shrink-0 rounded-full ${
          member.online ? "bg-emerald-500" : "border border-slate-400"
        }`}
      />
      <span className="flex min-w-0 flex-1 flex-col">
        <span className="flex min-w-0 items-baseline gap-1">
          {/* min-w-12: with the buttons beside it, a long name
            still shows its first letters instead of shrinking to nothing. */}
          <ProfileNameButton
            user={member}
            meId={isMe ? member.id : undefined}
            title={member.name}
            className={`min-w-12 truncate ${member.online ? "" : "text-slate-500"}`}
          />
          {member.bot && <BotBadge />}
          {/* Outside the truncated name, so a long name never hides it. */}
          {!member.handle && (
            <span id={tagId} className="shrink-0 text-xs text-slate-600">
              #{userTag(member.id)}
            </span>
          )}
          {isMe && (
            <span aria-hidden="true" className="shrink-0 text-xs text-slate-600">
              (you)
            </span>
          )}
          {member.role === "moderator" && (
            <span className="shrink-0 rounded bg-indigo-50 px-1 text-xs text-indigo-800">
              moderator
            </span>
          )}
          {member.modMuted && (
            <span className="shrink-0 rounded bg-amber-50 px-1 text-xs text-amber-900">muted</span>
          )}
        </span>
        {/* The unique @handle (issue 17): how to mention or invite exactly this person. */}
        {member.handle && (
          <span
            id={`${tagId}-handle`}
            className="truncate text-xs text-slate-600"
            title={`@${member.handle}`}
          >
            @{member.handle}
          </span>
        )}
      </span>
      {!isMe && (
        <>
          <button
            type="button"
            aria-label={`Message ${member.name}`}
            title={`Message ${member.name}`}
            disabled={busy || blocked}
            onClick={() => onMessage(member)}
            className="rounded px-1 text-slate-600 hover:bg-white hover:text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-50"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
              <path d="M3 4.5A2.5 2.5 0 0 1 5.5 2h9A2.5 2.5 0 0 1 17 4.5v7a2.5 2.5 0 0 1-2.5 2.5H9l-3.6 3a.5.5 0 0 1-.8-.4V14h-.1A2.5 2.5 0 0 1 3 11.5z" />
            </svg>
          </button>
          <button
            type="button"
            aria-label={`${blocked ? "Unblock" : "Block"} ${member.name}`}
            title={
              blocked
                ? `Unblock ${member.name}`
                : `Block ${member.name}: no direct messages or invites from them`
            }
            disabled={busy}
            onClick={() => onBlock(member, !blocked)}
            // A blocked member's button says "Unblock" in red: the state and its undo in one.
            className={`rounded px-1 text-xs hover:bg-white hover:text-red-700 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-50 ${
              blocked ? "text-red-700" : "text-slate-600"
            }`}
          >
            {blocked ? "Unblock" : "Block"}
          </button>
          {moderates && <MessageActions label="Member actions" actions={moderation} refocus />}
        </>
      )}
    </li>
  );
}
