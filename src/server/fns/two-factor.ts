import { createServerFn } from "@tanstack/react-start";
import { getRequest } from "@tanstack/react-start/server";
import { mustSetUpTwoFactor } from "../auth/two-factor-gate.server";
import { getRuntime } from "../runtime.server";

/** Whether the signed-in user must set up two-factor before anything else (the root route's guard). */
export const twoFactorGateFn = createServerFn({ method: "GET" }).handler(async () => {
  const runtime = await getRuntime();
  return mustSetUpTwoFactor(runtime, getRequest().headers);
});
