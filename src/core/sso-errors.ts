/**
 * What a failed single sign-on says on /sign-in (issue 14). better-auth (or
 * the provider, through it) sends the person back with `?error=<code>`;
 * each known code gets a sentence. The provider's free-text
 * `error_description` is never shown: anyone can put it in a link.
 */

/** The `error` search value kept from a callback redirect, or undefined (bounded, code characters only). */
export function ssoErrorCode(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const code = value.trim().slice(0, 80);
  return /^[A-Za-z0-9_.-]+$/.test(code) ? code : undefined;
}

/** The sentence for a failed sign-in with `provider` (its PARLEY_OIDC_NAME). */
export function ssoErrorText(code: string, provider: string): string {
  switch (code.toLowerCase()) {
    case "account_not_linked":
    case "unable_to_link_account":
      return `This email already belongs to a Parley account, and ${provider} did not confirm the address is verified, so the accounts were not linked. Sign in with your password, or verify your email at ${provider} and try again.`;
    case "access_denied":
      return `${provider} did not allow the sign-in. Try again, or ask an admin.`;
    case "login_required":
    case "consent_required":
    case "interaction_required":
      return `${provider} needs you to sign in there first. Try again.`;
    case "state_mismatch":
    case "state_not_found":
    case "state_invalid":
    case "state_security_mismatch":
    case "please_restart_the_process":
    case "no_code":
      return "The sign-in could not be matched to this browser (it took too long, or was started elsewhere). Try again.";
    case "invalid_code":
    case "unable_to_get_user_info":
    case "nonce_binding_missing":
    case "issuer_mismatch":
    case "issuer_missing":
      return `${provider}'s answer could not be verified, so nobody was signed in. Try again; if it keeps failing, ask an admin.`;
    case "email_not_found":
      return `${provider} did not share an email address, which Parley needs. Ask an admin to allow the email scope.`;
    case "email_not_verified":
      return "Verify your email address before signing in.";
    case "account_already_linked_to_different_user":
      return `That ${provider} account is linked to another Parley account.`;
    case "signup_disabled":
      return "New accounts cannot be created here with single sign-on.";
    case "oauth_provider_not_found":
      return "Single sign-on is not available right now. Ask an admin.";
    default:
      return `Single sign-on did not complete (${code}). Try again, or ask an admin.`;
  }
}
