import { createAuthMiddleware } from "better-auth/api";
import { twoFactor } from "better-auth/plugins";
import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.server";
import { readServerSettings } from "../storage/server-settings.server";

/** The TOTP step, in seconds (RFC 6238's default; every authenticator app's). */
export const TOTP_PERIOD = 30;

/**
 * better-auth's twoFactor plugin as Parley runs it (issue 14): TOTP with
 * six digits and a 30 s step (the plugin accepts one step either side),
 * ten recovery codes stored encrypted, setup and turning off both asking
 * for the password (when the account has one). Two things differ from the plugin's defaults:
 *
 * - The issuer an authenticator app shows is the server's name from the
 *   admin settings (ServerSettings.serverName), read when the secret is
 *   made, so a rename reaches the next setup without a restart; whatever
 *   issuer a client sent is replaced.
 * - The per-address limit on /two-factor/* is Parley's sign-in limit
 *   (PARLEY_AUTH_ATTEMPTS_PER_MINUTE a minute) instead of the plugin's 3
 *   per 10 s. Guessing still meets the plugin's own limits: five wrong
 *   codes end a sign-in challenge, ten in a row lock the account's second
 *   factor for 15 minutes.
 *
 * Trusted devices (the plugin's `trustDevice` flag) are not offered: the UI
 * never sends it, so every sign-in asks for a code.
 */
export function parleyTwoFactor(options: { db: Kysely<never>; attemptsPerMinute: number }) {
  const plugin = twoFactor({
    totpOptions: { period: TOTP_PERIOD, digits: 6 },
    backupCodeOptions: { amount: 10, length: 10 },
    // Accounts that sign in only through single sign-on have no password to
    // give; better-auth still asks for it whenever a password account exists.
    allowPasswordless: true,
  });
  const issuerFromSettings = createAuthMiddleware(async (ctx) => {
    const { serverName } = await readServerSettings(options.db as unknown as Kysely<Database>);
    const body = typeof ctx.body === "object" && ctx.body !== null ? ctx.body : {};
    return { context: { body: { ...body, issuer: serverName } } };
  });
  return {
    ...plugin,
    hooks: {
      ...plugin.hooks,
      before: [
        {
          matcher: (ctx: { path?: string }) => ctx.path === "/two-factor/enable",
          handler: issuerFromSettings,
        },
      ],
    },
    rateLimit: [
      {
        pathMatcher: (path: string) => path.startsWith("/two-factor/"),
        window: 60,
        max: options.attemptsPerMinute,
      },
    ],
  };
}
