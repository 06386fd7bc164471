import { ActionRefused } from "./chat-client";

/** What the user reads for a refusal code; the server's own words are for logs. */
const SAY: Record<ActionRefused["code"], string> = {
  rate_limited: "You're going too fast. Wait a moment and try again.",
  forbidden: "You can't do that here.",
  not_found: "That message or room is no longer there.",
  too_large: "That is too long.",
  bad_frame: "Something went wrong. Try again.",
  internal: "Something went wrong. Try again.",
  out_of_order: "Something went wrong. Try again.",
  disconnected: "The connection dropped before the server answered. Try again.",
};

/** The user's words for a refusal code. */
export function refusalText(code: ActionRefused["code"]): string {
  return SAY[code];
}

/** The user's words for why an action failed (an ActionRefused, or anything thrown). */
export function refusalOf(error: unknown): string {
  return refusalText(error instanceof ActionRefused ? error.code : "internal");
}

/**
 * Why an invite was refused, in the server's words (whom it concerns: "Ann
 * does not accept invites from you", "too many invites..."), capitalised.
 */
export function inviteRefusal(error: unknown): string {
  if (!(error instanceof ActionRefused) || error.code === "disconnected") return refusalOf(error);
  return error.message.charAt(0).toUpperCase() + error.message.slice(1);
}
