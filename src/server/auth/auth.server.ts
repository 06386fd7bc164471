import { betterAuth } from "better-auth";
import type { Kysely } from "kysely";
import type { WireUser } from "../../protocol/frames";

export const MIN_PASSWORD_LENGTH = 8;

/** better-auth over Parley's own Kysely instance, email and password only. */
export function createAuth(options: {
  db: Kysely<never>;
  secret: string;
  allowedOrigins: string[];
}) {
  return betterAuth({
    database: { db: options.db, type: "sqlite" },
    secret: options.secret,
    basePath: "/api/auth",
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      autoSignIn: true,
    },
    // No fixed baseURL: the app may sit behind any host; its own origin is
    // taken from the request and the configured extras are added.
    trustedOrigins: (request) => [
      ...options.allowedOrigins,
      request ? new URL(request.url).origin : undefined,
    ],
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The signed-in user for these request headers, or null; shared by pages and the ws upgrade. */
export async function sessionUser(auth: Auth, headers: Headers): Promise<WireUser | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  return { id: session.user.id, name: session.user.name };
}
