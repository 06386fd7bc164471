import nodemailer, { type Transporter } from "nodemailer";
import type { Logger } from "../log.server";

/** One email: both parts, and any extra headers (List-Unsubscribe and the like). */
export type Mail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
};

export type Mailer = {
  /** Resolves once the server accepted it; rejects (after logging) when it did not. */
  send(mail: Mail): Promise<void>;
  /** Where mail goes, with no password: for logs. */
  where: string;
  close(): void;
};

/** What the mailer needs from the config (SMTP_URL, PARLEY_MAIL_FROM, PARLEY_PUBLIC_URL). */
export type MailerConfig = {
  smtpUrl: string;
  mailFrom: string | undefined;
  publicUrl: string | undefined;
};

// Every wait bounded: a server that accepts the connection and then goes
// quiet must not hold a sender (and its claim) for nodemailer's minutes.
const TIMEOUT_MS = 15_000;

/** `Parley <parley@HOST>` with the public URL's host, else localhost. */
export function defaultFrom(publicUrl: string | undefined): string {
  let host = "localhost";
  try {
    if (publicUrl) host = new URL(publicUrl).hostname || host;
  } catch {
    // An unparsable public URL is refused by env.ts already; keep localhost.
  }
  return `Parley <parley@${host}>`;
}

/** The SMTP URL without its password, for logs. */
function redacted(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(unparsable SMTP_URL)";
  }
}

/**
 * Outgoing mail over SMTP_URL, generic (missed-message email now, password
 * reset later). A bad URL or a server that cannot be reached never throws
 * at start-up: each send rejects with the reason, logged once here.
 */
export function createMailer(config: MailerConfig, log: Logger): Mailer {
  const where = redacted(config.smtpUrl);
  const from = config.mailFrom ?? defaultFrom(config.publicUrl);
  let transport: Transporter | undefined;
  let broken: string | undefined;
  try {
    const url = new URL(config.smtpUrl);
    if (url.protocol !== "smtp:" && url.protocol !== "smtps:")
      throw new Error("not smtp: or smtps:");
    if (!url.hostname) throw new Error("no host");
    transport = nodemailer.createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
      secure: url.protocol === "smtps:",
      ...(url.username && {
        auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      }),
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
  } catch (error) {
    broken = `bad SMTP_URL: ${error instanceof Error ? error.message : String(error)}`;
    log.error("mail disabled", { where, error: broken });
  }
  return {
    where,
    async send(mail) {
      if (!transport) throw new Error(broken ?? "no mail transport");
      try {
        await transport.sendMail({ from, ...mail });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.warn("mail not sent", { where, error: reason });
        throw error;
      }
    },
    close() {
      transport?.close();
    },
  };
}
