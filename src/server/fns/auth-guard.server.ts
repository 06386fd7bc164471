import { getRequest } from "@tanstack/react-start/server";
import type { WireUser } from "../../protocol/frames";
import { sessionUser } from "../auth/auth.server";
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
  return { runtime, user };
}
