/**
 * The server-wide settings admins change from /admin/settings (issue 14),
 * and the pure rules for them. Stored one key per row (server_setting,
 * migration 0016) so that adding a setting needs no migration; a missing
 * row means the default below.
 */
export const SIGNUP_POLICIES = ["open", "invite", "domain"] as const;
export type SignupPolicy = (typeof SIGNUP_POLICIES)[number];

export type ServerSettings = {
  /** Shown in page titles, emails and the 2FA issuer. */
  serverName: string;
  /** open: anyone; invite: only with an invite link; domain: only emails in allowedDomains. */
  signupPolicy: SignupPolicy;
  /** Lower-case domains (no @) the `domain` policy accepts. */
  allowedDomains: string[];
  /** Users without two-factor authentication are sent to set it up after signing in. */
  requireTwoFactor: boolean;
};

export const DEFAULT_SERVER_SETTINGS: ServerSettings = Object.freeze({
  serverName: "Parley",
  signupPolicy: "open",
  allowedDomains: [],
  requireTwoFactor: false,
}) as ServerSettings;

export const MAX_SERVER_NAME = 60;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export type SettingsCheck =
  | { ok: true; settings: Partial<ServerSettings> }
  | { ok: false; field: keyof ServerSettings; error: string };

/**
 * Checks a change to the settings as an admin typed it: trims the name,
 * lower-cases domains and drops a leading "@", refuses anything unclear
 * with the field at fault and a sentence for it.
 */
export function checkSettingsPatch(patch: Record<string, unknown>): SettingsCheck {
  const out: Partial<ServerSettings> = {};
  if ("serverName" in patch) {
    const name = typeof patch.serverName === "string" ? patch.serverName.trim() : "";
    if (!name) return { ok: false, field: "serverName", error: "Give the server a name." };
    if (name.length > MAX_SERVER_NAME) {
      return {
        ok: false,
        field: "serverName",
        error: `The server name is at most ${MAX_SERVER_NAME} characters.`,
      };
    }
    out.serverName = name;
  }
  if ("signupPolicy" in patch) {
    const policy = patch.signupPolicy;
    if (!(SIGNUP_POLICIES as readonly unknown[]).includes(policy)) {
      return {
        ok: false,
        field: "signupPolicy",
        error: "The sign-up policy is open, invite or domain.",
      };
    }
    out.signupPolicy = policy as SignupPolicy;
  }
  if ("allowedDomains" in patch) {
    const list = patch.allowedDomains;
    if (!Array.isArray(list) || !list.every((d) => typeof d === "string")) {
      return { ok: false, field: "allowedDomains", error: "List the domains, one per line." };
    }
    const domains = [
      ...new Set(list.map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean)),
    ];
    const bad = domains.find((d) => !DOMAIN.test(d));
    if (bad) {
      return {
        ok: false,
        field: "allowedDomains",
        error: `"${bad}" is not a domain such as example.com.`,
      };
    }
    out.allowedDomains = domains;
  }
  if ("requireTwoFactor" in patch) {
    if (typeof patch.requireTwoFactor !== "boolean") {
      return { ok: false, field: "requireTwoFactor", error: "Require two-factor: yes or no." };
    }
    out.requireTwoFactor = patch.requireTwoFactor;
  }
  const merged = { ...out };
  if (merged.signupPolicy === "domain" && merged.allowedDomains?.length === 0) {
    return {
      ok: false,
      field: "allowedDomains",
      error: "The domain policy needs at least one allowed domain.",
    };
  }
  return { ok: true, settings: out };
}

/** Whether an email's domain is one of the allowed domains (exact, case-insensitive). */
export function emailInDomains(email: string, domains: readonly string[]): boolean {
  const at = email.lastIndexOf("@");
  if (at < 0) return false;
  const domain = email.slice(at + 1).toLowerCase();
  return domains.includes(domain);
}
