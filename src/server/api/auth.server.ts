import { type Scope, scopeAllows } from "../../core/scopes";
import { bearerOf, lookupToken, type TokenGrant } from "../auth/api-token.server";
import type { Runtime } from "../runtime.server";
import { ApiProblem } from "./problem.server";

const CHALLENGE = { "www-authenticate": 'Bearer realm="parley"' };

/**
 * The caller's grant from `Authorization: Bearer <token>`. A missing,
 * malformed, unknown, revoked or expired token, or a deactivated user's,
 * is one 401 (lookupToken does not tell them apart, so a probe learns
 * nothing); a token without the scope the operation needs is a 403.
 */
export async function authenticate(
  runtime: Runtime,
  request: Request,
  needed: Scope,
): Promise<TokenGrant> {
  const token = bearerOf(request.headers.get("authorization"));
  if (!token || !runtime.db)
    throw new ApiProblem("unauthorized", "a valid bearer token is required", CHALLENGE);
  const grant = await lookupToken(runtime.db, token);
  if (!grant) throw new ApiProblem("unauthorized", "a valid bearer token is required", CHALLENGE);
  if (!scopeAllows(grant.scopes, needed)) {
    throw new ApiProblem("insufficient_scope", `this token lacks the "${needed}" scope`, {
      "www-authenticate": `Bearer realm="parley", error="insufficient_scope", scope="${needed}"`,
    });
  }
  return grant;
}
