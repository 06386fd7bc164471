import type { EventBus } from "../events.server";
import type { Auth } from "./auth.server";

async function tokensOf(auth: Auth, userId: string): Promise<Set<string>> {
  const context = await auth.$context;
  const rows = await context.adapter.findMany<{ token: string }>({
    model: "session",
    where: [{ field: "userId", value: userId }],
    select: ["token"],
    limit: 100_000,
  });
  return new Set(rows.map((row) => row.token));
}

/**
 * POST /reset-password (issue 14): better-auth revokes every session of the
 * user the reset token belongs to (revokeSessionsOnPasswordReset). The
 * caller is signed out, so the sessions are found through the token: each
 * one the reset ended emits `signed_out`, which closes its sockets on every
 * instance as a sign-out does.
 */
export async function resetEndingSessions(
  runtime: { auth: Auth; events: EventBus },
  resetToken: unknown,
  forward: () => Promise<Response>,
): Promise<Response> {
  const { auth, events } = runtime;
  if (typeof resetToken !== "string" || !resetToken) return forward();
  const context = await auth.$context;
  const verification = await context.internalAdapter.findVerificationValue(
    `reset-password:${resetToken}`,
  );
  const userId = verification?.value;
  if (!userId) return forward();
  const before = await tokensOf(auth, userId);
  const response = await forward();
  if (!response.ok) return response;
  const after = await tokensOf(auth, userId);
  for (const token of before) {
    if (!after.has(token)) events.emit({ type: "signed_out", token });
  }
  return response;
}
