import { redirect } from "@tanstack/react-router";
import { openWithoutTwoFactor, SECURITY_PATH } from "../core/two-factor";
import { twoFactorGateFn } from "../server/fns/two-factor";

/**
 * The root route's guard (issue 14, "require two-factor authentication"):
 * a signed-in user without two-factor on a server that requires it is sent
 * to /settings/security from every other page. When the question cannot be
 * asked (offline, server trouble) the page goes on: its own guards and the
 * chat's server functions, which refuse such a user too, still apply.
 */
export async function guardTwoFactor(pathname: string): Promise<void> {
  if (openWithoutTwoFactor(pathname)) return;
  let must = false;
  try {
    must = await twoFactorGateFn();
  } catch {
    return;
  }
  if (must) throw redirect({ href: SECURITY_PATH, replace: true });
}
