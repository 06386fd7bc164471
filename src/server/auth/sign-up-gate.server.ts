import { APIError } from "better-auth/api";
import type { Kysely } from "kysely";
import {
  domainOnlyMessage,
  INVITE_COOKIE,
  INVITE_ONLY_MESSAGE,
  INVITE_REFUSALS,
  inviteState,
} from "../../core/invites";
import { emailInDomains } from "../../core/server-settings";
import {
  bannedFrom,
  consumeInvite,
  findInvite,
  joinByInvite,
} from "../storage/invite-store.server";
import type { Database } from "../storage/schema.server";
import { readServerSettings } from "../storage/server-settings.server";

/** The request header a server-side caller (or a test) may carry an invite token in. */
export const INVITE_HEADER = "x-parley-invite";

type HookContext = { headers?: Headers; request?: Request } | null | undefined;

/** The invite token a sign-up carries: the header, else the cookie the /invite page left. */
export function inviteTokenOf(context: HookContext): string | undefined {
  const headers = context?.headers ?? context?.request?.headers;
  if (!headers) return undefined;
  const direct = headers.get(INVITE_HEADER)?.trim();
  if (direct) return direct;
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === INVITE_COOKIE && rest.length > 0) {
      const value = decodeURIComponent(rest.join("=")).trim();
      if (value) return value;
    }
  }
  return undefined;
}

function refuse(code: string, message: string): never {
  // 400, not 403: better-auth turns a 403 from the create hook into its
  // generic "maybe created" answer when email verification is on.
  throw new APIError("BAD_REQUEST", { code, message });
}

/** Invites used by accounts being created, by email, for the after-hook to finish (join the room). */
const pending = new Map<string, { roomId: string | null; at: number }>();

/**
 * The sign-up policy (issue 14), run in better-auth's user create
 * before-hook, so every way an account is made (the email form, single
 * sign-on, a server-side call) obeys it. The settings are read per sign-up:
 * an admin's change holds on every instance at once.
 *
 * A usable invite token admits under any policy: its use is counted here
 * (one conditional update, so the last use goes to one sign-up only) and it
 * gives its role. Without one: `open` admits, `invite` refuses, `domain`
 * admits only an email at an allowed domain. Answers the fields the invite
 * sets on the new user.
 */
export async function gateSignUp(
  db: Kysely<Database>,
  user: { email?: unknown },
  context: HookContext,
  now = Date.now(),
): Promise<{ role?: string }> {
  const email = typeof user.email === "string" ? user.email.toLowerCase() : "";
  const settings = await readServerSettings(db);
  const token = inviteTokenOf(context);
  if (token) {
    const used = await consumeInvite(db, token, now);
    if (used) {
      for (const [key, entry] of pending) if (now - entry.at > 60_000) pending.delete(key);
      pending.set(email, { roomId: used.roomId, at: now });
      return used.role === "guest" ? { role: "guest" } : {};
    }
    if (settings.signupPolicy === "invite") {
      const state = inviteState(await findInvite(db, token), now);
      refuse(
        "INVITE_NOT_USABLE",
        state === "usable" ? INVITE_ONLY_MESSAGE : INVITE_REFUSALS[state],
      );
    }
  }
  if (settings.signupPolicy === "invite") refuse("INVITE_REQUIRED", INVITE_ONLY_MESSAGE);
  if (settings.signupPolicy === "domain" && !emailInDomains(email, settings.allowedDomains)) {
    refuse("EMAIL_DOMAIN_NOT_ALLOWED", domainOnlyMessage(settings.allowedDomains));
  }
  return {};
}

/** After the account exists: the room its invite names is joined (unless banned from it). */
export async function afterSignUp(
  db: Kysely<Database>,
  user: { id: string; email?: string | null },
): Promise<void> {
  const email = user.email?.toLowerCase() ?? "";
  const entry = pending.get(email);
  if (!entry) return;
  pending.delete(email);
  if (entry.roomId && !(await bannedFrom(db, entry.roomId, user.id))) {
    await joinByInvite(db, entry.roomId, user.id);
  }
}
