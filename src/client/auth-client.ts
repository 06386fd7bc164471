import { twoFactorClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/** better-auth's browser client on the page's own origin (/api/auth), with two-factor (issue 14). */
export const authClient = createAuthClient({ basePath: "/api/auth", plugins: [twoFactorClient()] });
