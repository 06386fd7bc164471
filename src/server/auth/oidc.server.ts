import type { BetterAuthOptions } from "better-auth";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { Kysely } from "kysely";
import { checkHandle } from "../../core/handles";
import { checkDisplayName } from "../../core/names";
import type { Config } from "../../env";
import { freeHandleFor, handleOwner } from "./handles.server";
import { jsonError } from "./http.server";

/**
 * OpenID Connect single sign-on (issue 14), through better-auth's generic
 * OAuth plugin. One provider, configured by PARLEY_OIDC_*:
 *
 * - discovery: `<issuer>/.well-known/openid-configuration` is read when the
 *   server starts (and again on the first sign-in if the provider was down);
 * - PKCE (S256) on every authorization request, the code verifier kept in
 *   better-auth's signed state;
 * - state: better-auth binds it to the browser with a signed cookie and
 *   refuses a callback whose state is missing, altered or from another
 *   browser;
 * - nonce: with `requireIdTokenVerification` the ID token must verify
 *   against the provider's JWKS (issuer, audience, expiry), and better-auth
 *   sends a fresh nonce on the authorization URL, keeps it in the state and
 *   refuses an ID token whose `nonce` claim differs
 *   (@better-auth/core verifyIdToken; tested in test/integration/oidc.test.ts).
 */

/** The provider's id in better-auth; the callback is /api/auth/callback/<id>. */
export const OIDC_PROVIDER_ID = "oidc";

/** The path the provider sends people back to; register `<public URL><path>` there. */
export const OIDC_CALLBACK_PATH = `/api/auth/callback/${OIDC_PROVIDER_ID}`;

export const OIDC_SCOPES = ["openid", "email", "profile"];

type Claims = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/** The display name for an account made from these claims: the first of them that passes the name rule. */
export function nameFromClaims(claims: Claims): string {
  const given = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(" ");
  const email = text(claims.email);
  const candidates = [
    text(claims.name),
    given || undefined,
    text(claims.preferred_username),
    text(claims.nickname),
    email?.split("@")[0],
  ];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const checked = checkDisplayName(candidate);
    if (checked.ok) return checked.name;
  }
  return "New member";
}

/**
 * The handle for an account made from these claims: the provider's
 * preferred_username when it is a valid, free handle; otherwise a free one
 * from it (or the name) with the handle rules' first free number.
 */
export async function handleFromClaims(db: Kysely<never>, claims: Claims): Promise<string> {
  const wanted = text(claims.preferred_username);
  if (wanted) {
    const checked = checkHandle(wanted.toLowerCase());
    if (checked.ok && (await handleOwner(db, checked.handle)) === undefined) return checked.handle;
  }
  return freeHandleFor(db, wanted?.split("@")[0] ?? nameFromClaims(claims));
}

/** better-auth's generic OAuth plugin for the configured provider (none without PARLEY_OIDC_ISSUER). */
export function oidcPlugins(options: { config: Config; db: Kysely<never> }) {
  const oidc = options.config.identity.oidc;
  if (!oidc) return [];
  return [
    genericOAuth({
      config: [
        {
          providerId: OIDC_PROVIDER_ID,
          name: oidc.name,
          discoveryUrl: `${oidc.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
          clientId: oidc.clientId,
          clientSecret: oidc.clientSecret,
          scopes: OIDC_SCOPES,
          pkce: true,
          // No unsigned or unverifiable ID token is ever taken, so the nonce
          // binding (requiresIdTokenNonce) is always on.
          requireIdTokenVerification: true,
          // Only a new account takes these; an existing one keeps its name
          // and handle (overrideUserInfo stays off).
          mapProfileToUser: async (profile) => ({
            name: nameFromClaims(profile),
            handle: await handleFromClaims(options.db, profile),
          }),
        },
      ],
    }),
  ];
}

/**
 * Account linking: an IdP account whose email the provider says is verified
 * (email_verified true) joins the Parley account with that email; an
 * unverified one never does (better-auth answers "account not linked",
 * since the provider is not in trustedProviders). When the server verifies
 * emails (PARLEY_REQUIRE_EMAIL_VERIFICATION=true) the Parley account's own
 * email must be verified too, so an address someone signed up with but never
 * proved cannot be taken over by, or take over, the IdP's account.
 */
export function oidcAccountOptions(config: Config): BetterAuthOptions["account"] {
  return {
    accountLinking: {
      enabled: true,
      trustedProviders: [],
      requireLocalEmailVerified: config.identity.requireEmailVerification,
    },
  };
}

export const PASSWORD_LOGIN_OFF_MESSAGE =
  "Email and password sign-in is turned off on this server. Use single sign-on instead.";

const PASSWORD_PATHS = new Set(["/sign-in/email", "/sign-up/email"]);

/** 403 for the email and password endpoints when PARLEY_PASSWORD_LOGIN=off; null otherwise. */
export function passwordLoginRefusal(
  config: Pick<Config, "identity">,
  method: string,
  path: string,
): Response | null {
  if (config.identity.passwordLogin || method !== "POST" || !PASSWORD_PATHS.has(path)) return null;
  return jsonError(403, "PASSWORD_LOGIN_OFF", PASSWORD_LOGIN_OFF_MESSAGE);
}
