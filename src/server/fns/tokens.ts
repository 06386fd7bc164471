import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { mayGrantScopes } from "../../core/admin-policy";
import { checkTokenRequest } from "../../core/token-rules";
import {
  createToken,
  listTokens,
  revokeToken,
  type TokenInfo,
} from "../storage/token-store.server";
import { requireWithin } from "./limit-guard.server";
import { closeTokenSockets, requireTokenOwner } from "./token-guard.server";

/**
 * /settings/tokens (issue 15): the signed-in person's personal access
 * tokens. The token itself is answered once, by createMyTokenFn; the list
 * never holds it. Refusals are answers ({ ok: false, error }) shown next to
 * the control that asked.
 */

/** The shape the dialog sends; the rules (core/token-rules.ts) check the rest. */
export const tokenRequest = z.object({
  name: z.string().max(400),
  scopes: z.array(z.string().max(20)).max(10),
  expiresAt: z.number().nullable(),
});

export type { TokenInfo };

export type TokenAnswer = { ok: true; id: string; token: string } | { ok: false; error: string };

export const myTokensFn = createServerFn({ method: "GET" }).handler(
  async (): Promise<{ tokens: TokenInfo[]; mayGrantAdmin: boolean }> => {
    const { runtime, db, user, role } = await requireTokenOwner();
    requireWithin(runtime, "page", user.id);
    return {
      tokens: await listTokens(db, user.id),
      mayGrantAdmin: mayGrantScopes(role, ["admin"]).ok,
    };
  },
);

export const createMyTokenFn = createServerFn({ method: "POST" })
  .validator(tokenRequest)
  .handler(async ({ data }): Promise<TokenAnswer> => {
    const { runtime, db, user, role } = await requireTokenOwner();
    requireWithin(runtime, "token", user.id);
    const checked = checkTokenRequest(data, Date.now());
    if (!checked.ok) return checked;
    const allowed = mayGrantScopes(role, checked.scopes);
    if (!allowed.ok) return allowed;
    const made = await createToken(db, { userId: user.id, ...checked });
    runtime.log.info("token created", { user: user.id, token: made.id });
    return { ok: true, ...made };
  });

export const revokeMyTokenFn = createServerFn({ method: "POST" })
  .validator(z.object({ id: z.string().min(1).max(40) }))
  .handler(async ({ data }): Promise<{ ok: true } | { ok: false; error: string }> => {
    const { runtime, db, user } = await requireTokenOwner();
    requireWithin(runtime, "token", user.id);
    if (!(await revokeToken(db, user.id, data.id))) {
      return { ok: false, error: "This token is not yours or is already revoked." };
    }
    await closeTokenSockets(runtime, data.id);
    runtime.log.info("token revoked", { user: user.id, token: data.id });
    return { ok: true };
  });
