import { createServerFn } from "@tanstack/react-start";
import { getRuntime } from "../runtime.server";

/** How people sign in here (issue 14): the single sign-on button's name, and whether passwords work. */
export type SignInOptions = { sso: { name: string } | null; passwordLogin: boolean };

/** The sign-in options /sign-in and /sign-up show; public (nothing secret in it). */
export const getSignInOptionsFn = createServerFn({ method: "GET" }).handler(
  async (): Promise<SignInOptions> => {
    const { identity } = (await getRuntime()).config;
    return {
      sso: identity.oidc ? { name: identity.oidc.name } : null,
      passwordLogin: identity.passwordLogin,
    };
  },
);
