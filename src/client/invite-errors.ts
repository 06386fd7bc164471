import { ActionRefused } from "./chat-client";

/**
 * Why an invite failed, naming the real cause (issue 17): the generic
 * refusal words ("That message or room is no longer there." for every
 * not_found) told an inviter nothing. The codes and messages are those of
 * core/actions/invite.ts and core/policy.ts (mayInvite, mayInvitePerson);
 * test/unit/invite-errors.test.ts builds them from those rules.
 */
export function inviteFailure(error: unknown, name: string): string {
  if (!(error instanceof ActionRefused)) return `Could not invite ${name}. Try again.`;
  const said = error.message.toLowerCase();
  switch (error.code) {
    case "disconnected":
      return `You are offline: ${name} was not invited. Try again when the connection is back.`;
    case "rate_limited":
      return `Too many invites: ${retryIn(error.retryAfterMs)}.`;
    case "not_found":
      return said.includes("room")
        ? "This room is no longer there."
        : `No such person: ${name} is no longer on Parley.`;
    case "forbidden":
      if (said.includes("does not accept invites"))
        return `${name} does not accept invites from you.`;
      if (said.includes("direct messages")) return "You can't invite people to a direct message.";
      if (said.includes("not a member")) {
        return "You can't invite people here: you are not a member of this room.";
      }
      return `You are not allowed to invite ${name} here.`;
    default:
      return `Could not invite ${name}. Try again.`;
  }
}

/** "try again in 5 min" / "in 2 s": the wait the server named, rounded up. */
function retryIn(ms: number | undefined): string {
  if (ms === undefined || ms <= 0) return "wait a moment and try again";
  return ms >= 60_000
    ? `try again in ${Math.ceil(ms / 60_000)} min`
    : `try again in ${Math.ceil(ms / 1000)} s`;
}

/** Picking someone already in the room: said at once, nothing is sent (the server would do nothing). */
export function alreadyMember(name: string): string {
  return `${name} is already a member.`;
}
