import { describe, expect, it } from "vitest";
import { ActionRefused } from "../../src/client/chat-client";
import { alreadyMember, inviteFailure } from "../../src/client/invite-errors";
import { mayInvite, mayInvitePerson, membershipOf, type Refusal } from "../../src/core/policy";

/** A refusal as the socket delivers it to the invite's promise. */
const refused = (refusal: Refusal | { ok: true }, retryAfterMs?: number) => {
  if (refusal.ok) throw new Error("policy allowed it");
  return new ActionRefused(refusal.code, refusal.message, retryAfterMs);
};

// The refusals core/actions/invite.ts sends, built from the same policy
// rules, so a reworded rule shows up here and not as a wrong sentence.
describe("why an invite failed, in the person's words", () => {
  it("says an unknown person is unknown, not that a message or room is gone", () => {
    const text = inviteFailure(new ActionRefused("not_found", "no such person"), "Dana");
    expect(text).toBe("No such person: Dana is no longer on Parley.");
    expect(text).not.toContain("message or room");
  });

  it("says a room that went is gone", () => {
    const gone = refused(mayInvite(undefined, membershipOf(false)));
    expect(inviteFailure(gone, "Dana")).toBe("This room is no longer there.");
  });

  it("says who blocked the inviter", () => {
    const blocked = refused(mayInvitePerson({ name: "Dana", blocksActor: true }));
    expect(inviteFailure(blocked, "Dana")).toBe("Dana does not accept invites from you.");
  });

  it("says when the inviter may not invite here", () => {
    const outsider = refused(mayInvite({ kind: "private", name: "p" }, membershipOf(false)));
    expect(inviteFailure(outsider, "Dana")).toBe(
      "You can't invite people here: you are not a member of this room.",
    );
    const dm = refused(mayInvite({ kind: "dm", name: "d" }, membershipOf(true)));
    expect(inviteFailure(dm, "Dana")).toBe("You can't invite people to a direct message.");
    expect(inviteFailure(new ActionRefused("forbidden", "new rule"), "Dana")).toBe(
      "You are not allowed to invite Dana here.",
    );
  });

  it("says when to try again after too many invites", () => {
    const hourly = new ActionRefused("rate_limited", "too many invites", 5 * 60_000 - 1);
    expect(inviteFailure(hourly, "Dana")).toBe("Too many invites: try again in 5 min.");
    const frames = new ActionRefused("rate_limited", "slow down", 1_500);
    expect(inviteFailure(frames, "Dana")).toBe("Too many invites: try again in 2 s.");
    const unsaid = new ActionRefused("rate_limited", "slow down");
    expect(inviteFailure(unsaid, "Dana")).toBe("Too many invites: wait a moment and try again.");
  });

  it("says an offline invite was not sent", () => {
    const offline = new ActionRefused("disconnected", "not connected");
    expect(inviteFailure(offline, "Dana")).toBe(
      "You are offline: Dana was not invited. Try again when the connection is back.",
    );
  });

  it("falls back to a retry for anything else, thrown or refused", () => {
    expect(inviteFailure(new Error("boom"), "Dana")).toBe("Could not invite Dana. Try again.");
    expect(inviteFailure(new ActionRefused("internal", "db"), "Dana")).toBe(
      "Could not invite Dana. Try again.",
    );
  });

  it("says a member is already one", () => {
    expect(alreadyMember("Dana")).toBe("Dana is already a member.");
  });
});
