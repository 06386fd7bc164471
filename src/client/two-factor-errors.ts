/**
 * A sentence for a failed two-factor request (better-auth's codes), to show
 * beside the field: what went wrong and what to do next.
 */
export function twoFactorError(error: {
  code?: string;
  message?: string;
  status?: number;
}): string {
  switch (error.code) {
    case "INVALID_CODE":
      return "That code is not right. Enter the 6-digit code your authenticator app shows now (check that the phone's clock is right).";
    case "INVALID_BACKUP_CODE":
      return "That recovery code is not right, or was used already. Each recovery code works once.";
    case "INVALID_PASSWORD":
      return "Wrong password.";
    case "INVALID_TWO_FACTOR_COOKIE":
      return "This sign-in has expired. Sign in again.";
    case "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE":
      return "Too many wrong codes for this sign-in. Sign in again.";
    case "ACCOUNT_TEMPORARILY_LOCKED":
      return "Too many wrong codes for this account. Try again in 15 minutes, or use a recovery code.";
    case "TOTP_ALREADY_ENABLED":
      return "Two-factor authentication is already on. Reload the page.";
    case "TOTP_NOT_ENABLED":
      return "Two-factor authentication is not set up. Start again.";
  }
  if (error.status === 429 || error.code === "TOO_MANY_REQUESTS") {
    return "Too many attempts. Wait a minute and try again.";
  }
  if (error.status === 401) return "Your session ended. Sign in again.";
  return error.message || "Something went wrong. Check your connection and try again.";
}

/** Whether the sign-in must start over (the challenge is gone) after this error. */
export function challengeEnded(error: { code?: string }): boolean {
  return (
    error.code === "INVALID_TWO_FACTOR_COOKIE" ||
    error.code === "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE"
  );
}

/** A typed authenticator code as the server compares it (spaces and dashes people type are dropped). */
export function cleanCode(text: string): string {
  return text.replace(/[\s-]/g, "");
}

/**
 * A typed recovery code as better-auth stores it ("abcde-FGHIJ": exact,
 * case kept): spaces dropped, and the dash put back when it was left out.
 */
export function cleanRecoveryCode(text: string): string {
  const code = text.replace(/\s/g, "");
  return /^[A-Za-z0-9]{10}$/.test(code) ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}
