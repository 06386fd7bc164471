import type { Kysely } from "kysely";
import type { Config } from "../../env";
import type { Logger } from "../log.server";
import type { Mailer } from "../mail/mailer.server";
import { claimImportedAccount } from "../portability/claim.server";
import type { Database } from "../storage/schema.server";
import { readServerSettings } from "../storage/server-settings.server";

/** How long a password-reset link works (issue 14): one hour. */
export const RESET_LINK_SECONDS = 60 * 60;
/** How long an email-verification link works. */
export const VERIFY_LINK_SECONDS = 24 * 60 * 60;

type Deps = { db: Kysely<Database>; mailer: Mailer | undefined; log: Logger; config: Config };

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/**
 * Sends one link mail off the response path: the request that caused it
 * answers without waiting for SMTP, so its timing says nothing about
 * whether an email was sent. Without SMTP the link goes to the server log
 * (warn) for an admin to hand over.
 */
function sendLink(
  deps: Deps,
  kind: "password reset" | "email verification",
  to: string,
  url: string,
  compose: (serverName: string) => { subject: string; lead: string; action: string; tail: string },
): void {
  const { mailer, log, db } = deps;
  if (!mailer) {
    log.warn(`${kind} link (no SMTP_URL: give it to the user yourself)`, { email: to, url });
    return;
  }
  void (async () => {
    const serverName = (await readServerSettings(db)).serverName;
    const mail = compose(serverName);
    await mailer.send({
      to,
      subject: mail.subject,
      text: `${mail.lead}\n\n${url}\n\n${mail.tail}\n`,
      html: `<p>${escapeHtml(mail.lead)}</p><p><a href="${escapeHtml(url)}">${escapeHtml(mail.action)}</a></p><p>${escapeHtml(mail.tail)}</p>`,
    });
  })().catch((error) => {
    // The mailer logged a refused send; this covers the settings read.
    log.warn(`${kind} mail failed`, { error: String(error) });
  });
}

/**
 * better-auth's options for password reset and email verification
 * (issue 14), through the runtime's mailer. A reset revokes every session
 * of the user (their sockets close: see reset-sessions.server.ts), and
 * PARLEY_REQUIRE_EMAIL_VERIFICATION=true keeps an unverified account from
 * signing in (each refused sign-in sends a fresh link).
 */
export function identityMailOptions(deps: Deps) {
  const required = deps.config.identity.requireEmailVerification;
  return {
    emailAndPassword: {
      requireEmailVerification: required,
      resetPasswordTokenExpiresIn: RESET_LINK_SECONDS,
      revokeSessionsOnPasswordReset: true,
      // An account the Slack import created is claimed by its first reset (issue 15).
      onPasswordReset: async ({ user }: { user: { id: string } }) => {
        if (await claimImportedAccount(deps.db, user.id)) {
          deps.log.info("imported account claimed by password reset", { userId: user.id });
        }
      },
      sendResetPassword: async ({ user, url }: { user: { email: string }; url: string }) => {
        sendLink(deps, "password reset", user.email, url, (serverName) => ({
          subject: `Reset your ${serverName} password`,
          lead: `Someone asked to reset the password of your ${serverName} account. To choose a new one, open this link within an hour:`,
          action: "Set a new password",
          tail: "If you did not ask, ignore this email: your password stays as it is.",
        }));
      },
    },
    emailVerification: {
      sendOnSignUp: required,
      sendOnSignIn: required,
      autoSignInAfterVerification: true,
      expiresIn: VERIFY_LINK_SECONDS,
      sendVerificationEmail: async ({ user, url }: { user: { email: string }; url: string }) => {
        sendLink(deps, "email verification", user.email, url, (serverName) => ({
          subject: `Verify your email for ${serverName}`,
          lead: `Open this link to verify your email address and start using ${serverName}:`,
          action: "Verify my email",
          tail: "If you did not create an account, ignore this email.",
        }));
      },
    },
  };
}
