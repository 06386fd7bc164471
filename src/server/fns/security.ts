import { createServerFn } from "@tanstack/react-start";
import { getRequest } from "@tanstack/react-start/server";
import { deviceName } from "../../core/user-agent";
import { mustSetUpTwoFactor } from "../auth/two-factor-gate.server";
import { getRuntime } from "../runtime.server";
import { requireWithin } from "./limit-guard.server";

/** One of the user's sessions as /settings/security shows it. */
export type SessionRow = {
  /** better-auth's revoke-session takes the token (its list-sessions hands them out too). */
  token: string;
  browser: string;
  os: string;
  ip: string;
  /** ISO time the session was last refreshed or created: its "last active". */
  lastActive: string;
  current: boolean;
};

export type SecurityPage = {
  twoFactorEnabled: boolean;
  /** False for accounts that only sign in through single sign-on: no password to ask for. */
  hasPassword: boolean;
  /** The server requires two-factor and this user has none yet. */
  mustSetUp: boolean;
  sessions: SessionRow[];
};

/** What /settings/security shows: the user's 2FA state and their live sessions, newest activity first. */
export const securityPageFn = createServerFn({ method: "GET" }).handler(
  async (): Promise<SecurityPage> => {
    const runtime = await getRuntime();
    const headers = getRequest().headers;
    const found = await runtime.auth.api.getSession({ headers });
    if (!found) throw new Error("not signed in");
    requireWithin(runtime, "page", found.user.id);
    const [sessions, accounts, mustSetUp] = await Promise.all([
      runtime.auth.api.listSessions({ headers }),
      runtime.auth.api.listUserAccounts({ headers }),
      mustSetUpTwoFactor(runtime, headers),
    ]);
    const rows = sessions
      .filter((session) => new Date(session.expiresAt).getTime() > Date.now())
      .map((session) => ({
        token: session.token,
        ...deviceName(session.userAgent),
        ip: session.ipAddress ?? "",
        lastActive: new Date(session.updatedAt).toISOString(),
        current: session.token === found.session.token,
      }))
      .sort(
        (a, b) => Number(b.current) - Number(a.current) || b.lastActive.localeCompare(a.lastActive),
      );
    return {
      twoFactorEnabled: found.user.twoFactorEnabled === true,
      hasPassword: accounts.some((account) => account.providerId === "credential"),
      mustSetUp,
      sessions: rows,
    };
  },
);
