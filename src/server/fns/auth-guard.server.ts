import { getRequest } from "@tanstack/react-start/server";
import { TWO_FACTOR_REQUIRED_TEXT } from "../../core/two-factor";
import type { WireUser } from "../../protocol/frames";
import { sessionUser } from "../auth/auth.server";
import { mustSetUpTwoFactor } from "../auth/two-factor-gate.server";
import { getRuntime, type Runtime } from "../runtime.server";

/** The runtime plus the signed-in user of the current request, or null. */
export async function currentUser(): Promise<{ runtime: Runtime; user: WireUser | null }> {
  const runtime = await getRuntime();
  const user = await sessionUser(runtime.auth, getRequest().headers);
  return { runtime, user };
}

/** Like currentUser, but a missing session is an error (the UI redirects first). */
export async function requireUser(): Promise<{ runtime: Runtime; user: WireUser }> {
  const { runtime, user } = await currentUser();
  if (!user) throw new Error("not signed in");
  // The chat's data is refused while the server requires a second factor this user lacks.
  if (await mustSetUpTwoFactor(runtime, getRequest().headers)) {
    throw new Error(TWO_FACTOR_REQUIRED_TEXT);
  }
  return { runtime, user };
}
