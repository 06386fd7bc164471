import type { Runtime } from "../runtime.server";
import type { LimitAction } from "./limits.server";

/** Spends one of the user's tokens for `action`: null when allowed, else the refusal to show. */
export function refusal(runtime: Runtime, action: LimitAction, userId: string): string | null {
  const wait = runtime.limits.take(action, userId);
  return wait === 0 ? null : runtime.limits.describe(action, wait);
}

/** For server functions that return data: throws the refusal (the UI shows its message). */
export function requireWithin(runtime: Runtime, action: LimitAction, userId: string): void {
  const refused = refusal(runtime, action, userId);
  if (refused) throw new Error(refused);
}
