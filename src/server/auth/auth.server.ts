import { betterAuth } from "better-auth";
import { APIError } from "better-auth/api";
import type { Kysely } from "kysely";
import { checkDisplayName } from "../../core/names";
import type { Config } from "../../env";
import type { WireUser } from "../../protocol/frames";
import type { Logger } from "../log.server";
import type { Mailer } from "../mail/mailer.server";
import type { Database } from "../storage/schema.server";
import { refuseBot } from "./bot-sign-in.server";
import { refuseDeactivated } from "./deactivation.server";
import { checkedHandle } from "./handles.server";
import { identityMailOptions } from "./identity-mail.server";
import { oidcAccountOptions, oidcPlugins } from "./oidc.server";
import { makeFirstUserOwner } from "./roles.server";
import { afterSignUp, gateSignUp } from "./sign-up-gate.server";
import { parleyTwoFactor } from "./two-factor.server";

/**
 * The one request header better-auth reads the client's address from. The
 * /api/auth route sets it from the socket (or the trusted proxy's entry,
 * see src/server/client-ip.ts) and drops any copy the client sent, so
 * X-Forwarded-For written by a client never keys a rate limit.
 */
export const CLIENT_IP_HEADER = "x-parley-client-ip";

/** A name about to be stored, in its stored form; refuses (400 INVALID_NAME) a bad one. */
function checkedName<T extends { name?: unknown }>(data: T): T {
  if (!("name" in data) || data.name === undefined) return data;
  const checked = checkDisplayName(data.name);
  if (!checked.ok) {
    throw new APIError("BAD_REQUEST", { code: "INVALID_NAME", message: checked.error });
  }
  return { ...data, name: checked.name };
}

export const MIN_PASSWORD_LENGTH = 8;

/** better-auth over Parley's own Kysely instance, email and password only. */
export function createAuth(options: {
  db: Kysely<never>;
  /** The SQL dialect behind `db`; better-auth picks its column types and introspection by it. */
  dialect: "sqlite" | "postgres";
  secret: string;
  allowedOrigins: string[];
  publicUrl: string | undefined;
  /** Sign-in and sign-up attempts allowed per client address per minute. */
  attemptsPerMinute: number;
  /** The whole config and the log, for the identity features (issue 14) that read them. */
  config: Config;
  log: Logger;
  /** The runtime's mailer (SMTP_URL); without it reset and verification links go to the log. */
  mailer?: Mailer;
}) {
  const attempts = { window: 60, max: options.attemptsPerMinute };
  // Password reset and email verification (issue 14): identity-mail.server.ts.
  const db = options.db as unknown as Kysely<Database>;
  const mail = identityMailOptions({
    db,
    mailer: options.mailer,
    log: options.log,
    config: options.config,
  });
  return betterAuth({
    database: { db: options.db, type: options.dialect },
    secret: options.secret,
    basePath: "/api/auth",
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      autoSignIn: true,
      ...mail.emailAndPassword,
    },
    emailVerification: mail.emailVerification,
    // With PARLEY_PUBLIC_URL unset, better-auth derives the base URL from
    // each request (it warns once), so a fresh install works under any host
    // name. Dynamic allowedHosts: ["*"] is not used: it would trust every
    // origin and switch off better-auth's CSRF check.
    baseURL: options.publicUrl,
    trustedOrigins: (request) => [
      ...options.allowedOrigins,
      request ? new URL(request.url).origin : undefined,
    ],
    // Always on (better-auth only enables it in production by default):
    // guessing passwords costs a minute per few attempts.
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      // Starting single sign-on counts like a sign-in (better-auth's own
      // default for /sign-in/* is 3 per 10 s, too few for an office behind
      // one address); reset and verification requests (issue 14) share the
      // sign-in budget instead of better-auth's fixed 3 a minute.
      customRules: {
        "/sign-in/email": attempts,
        "/sign-up/email": attempts,
        "/sign-in/social": attempts,
        "/request-password-reset": attempts,
        "/send-verification-email": attempts,
      },
    },
    telemetry: { enabled: false },
    // The two-factor plugin first: with it at the head of the tuple, its
    // user field (twoFactorEnabled) stays in the inferred session types.
    plugins: [
      parleyTwoFactor({ db: options.db, attemptsPerMinute: options.attemptsPerMinute }),
      ...oidcPlugins(options),
    ],
    // Single sign-on (issue 14): linking by verified email, and provider
    // errors shown on /sign-in in words (src/components/SsoSignIn.tsx).
    account: oidcAccountOptions(options.config),
    onAPIError: { errorURL: "/sign-in" },
    // The unique @handle (issue 17). Nullable to better-auth, so its own
    // migration can add the column to an existing table; Parley's 0011 fills
    // it in and adds the unique index on lower(handle). The hooks below make
    // every new account have one.
    user: {
      additionalFields: {
        handle: { type: "string", required: false, input: true },
        // owner | admin | member | guest (issue 14, migration 0016). Never
        // input: a role is given by the first sign-up rule, an invite or an
        // admin, through Parley's own code.
        role: { type: "string", required: false, input: false, defaultValue: "member" },
      },
    },
    // Every write of a user's name passes the display-name rule, and of a
    // handle the handle rule, whichever endpoint (or server-side auth.api
    // call) it comes from.
    databaseHooks: {
      // A deactivated account gets no session, however it signs in (issue 14).
      // Nor does a bot (issue 15): it speaks with tokens only.
      session: {
        create: {
          before: async (session) => {
            await refuseDeactivated(options.db)(session);
            await refuseBot(options.db)(session);
          },
        },
      },
      user: {
        create: {
          // The sign-up policy and invites (sign-up-gate.server.ts) after the name checks.
          before: async (user, context) => {
            const data = await checkedHandle(options.db, checkedName(user), { create: true });
            return { data: { ...data, ...(await gateSignUp(db, user, context)) } };
          },
          // The first account to sign up owns the server.
          after: async (user) => {
            await makeFirstUserOwner(options.db, user.id, options.dialect);
            await afterSignUp(db, user);
          },
        },
        update: {
          before: async (user, context) => ({
            data: await checkedHandle(options.db, checkedName(user), {
              create: false,
              userId: context?.context.session?.user.id,
            }),
          }),
        },
      },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // better-auth would mark cookies Secure (and __Secure- prefixed) in any
      // production build, which browsers drop over plain http on a LAN
      // address; Secure follows the public URL's scheme instead.
      useSecureCookies: options.publicUrl?.startsWith("https://") ?? false,
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The session's user as frames carry them: with the handle when it has one. */
function wireUserOf(user: { id: string; name: string; handle?: string | null }): WireUser {
  return user.handle
    ? { id: user.id, name: user.name, handle: user.handle }
    : { id: user.id, name: user.name };
}

export type SessionInfo = { user: WireUser; token: string; expiresAt: number };

/** The session behind these request headers (user, token, expiry), or null. */
export async function sessionOf(auth: Auth, headers: Headers): Promise<SessionInfo | null> {
  const found = await auth.api.getSession({ headers });
  if (!found) return null;
  return {
    user: wireUserOf(found.user),
    token: found.session.token,
    expiresAt: new Date(found.session.expiresAt).getTime(),
  };
}

/** The signed-in user for these request headers, or null; shared by pages and the ws upgrade. */
export async function sessionUser(auth: Auth, headers: Headers): Promise<WireUser | null> {
  return (await sessionOf(auth, headers))?.user ?? null;
}

/** Which of these session tokens still have a session row (one query per 5,000 tokens). */
export async function liveSessionTokens(auth: Auth, tokens: string[]): Promise<Set<string>> {
  const context = await auth.$context;
  const live = new Set<string>();
  for (let at = 0; at < tokens.length; at += 5_000) {
    const batch = tokens.slice(at, at + 5_000);
    const rows = await context.adapter.findMany<{ token: string }>({
      model: "session",
      where: [{ field: "token", operator: "in", value: batch }],
      select: ["token"],
      limit: batch.length,
    });
    for (const row of rows) live.add(row.token);
  }
  return live;
}
