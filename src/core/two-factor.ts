/** Two-factor authentication and sessions (issue 14): what the server and the pages share. */

/** Where a user sets up two-factor authentication and manages their sessions. */
export const SECURITY_PATH = "/settings/security";

/** Shown on /settings/security, and as the refusal of the chat's server functions. */
export const TWO_FACTOR_REQUIRED_TEXT =
  "Your server requires two-factor authentication. Set it up to continue.";

/** The pages a user without two-factor may still open while the server requires it. */
export function openWithoutTwoFactor(pathname: string): boolean {
  return (
    pathname === SECURITY_PATH ||
    pathname === "/sign-in" ||
    pathname === "/sign-up" ||
    pathname === "/forgot-password" ||
    pathname === "/reset-password"
  );
}

/** The base32 secret inside an otpauth:// URI (what "Secret key" shows), or "". */
export function secretOfTotpUri(uri: string): string {
  try {
    return new URL(uri).searchParams.get("secret") ?? "";
  } catch {
    return "";
  }
}

/** A base32 secret in groups of four, easier to type into an authenticator app. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}
