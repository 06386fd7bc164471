import { createAuthClient } from "better-auth/react";

/** better-auth's browser client on the page's own origin (/api/auth). */
export const authClient = createAuthClient({ basePath: "/api/auth" });
