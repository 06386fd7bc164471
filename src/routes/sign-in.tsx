import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { focusComposerOnArrival } from "../client/arrival-focus";
import { authClient } from "../client/auth-client";
import { authErrorToFields, checkAuthFields } from "../client/auth-errors";
import { AuthForm, AuthLink } from "../components/AuthForm";
import { ForgotPasswordLink } from "../components/ForgotPasswordLink";
import { SsoOnlyCard, SsoSignIn } from "../components/SsoSignIn";
import { needsSecondFactor, TwoFactorSignIn } from "../components/TwoFactorSignIn";
import { landingFor, safeNext } from "../core/safe-next";
import { ssoErrorCode } from "../core/sso-errors";
import { getSessionFn } from "../server/fns/session";
import { getSignInOptionsFn } from "../server/fns/sign-in-options";

/** Shown when a tab was sent here because its session ended (see ChatProvider). */
const SESSION_ENDED_TEXT = "Your session ended. Sign in again.";

/** Shown when an admin deactivated the account (close 4003, issue 14). */
const DEACTIVATED_TEXT = "This account is deactivated.";

type Search = { reason?: "session-ended" | "deactivated"; next?: string; error?: string };

export const Route = createFileRoute("/sign-in")({
  // `next`: where a signed-out visit was going (a deep link); an unsafe one is dropped.
  validateSearch: (search: Record<string, unknown>): Search => {
    const next = safeNext(search.next) ?? undefined;
    const error = ssoErrorCode(search.error);
    return {
      ...(search.reason === "session-ended" && { reason: "session-ended" }),
      ...(search.reason === "deactivated" && { reason: "deactivated" }),
      ...(next && { next }),
      ...(error && { error }),
    };
  },
  beforeLoad: async ({ search }) => {
    if (await getSessionFn()) throw redirect({ href: landingFor(search.next) });
  },
  loader: () => getSignInOptionsFn(),
  head: () => ({ meta: [{ title: "Sign in · Parley" }] }),
  component: SignIn,
});

function SignIn() {
  const navigate = useNavigate();
  const { reason, next, error } = Route.useSearch();
  const options = Route.useLoaderData();
  const [secondFactor, setSecondFactor] = useState(false);
  const sso = { options, next, error, returnTo: "/sign-in" } as const;
  if (secondFactor) return <TwoFactorSignIn next={next} onRestart={() => setSecondFactor(false)} />;
  if (!options.passwordLogin) return <SsoOnlyCard title="Sign in to Parley" {...sso} />;
  return (
    <AuthForm
      below={<SsoSignIn {...sso} />}
      title="Sign in to Parley"
      notice={
        reason === "session-ended"
          ? SESSION_ENDED_TEXT
          : reason === "deactivated"
            ? DEACTIVATED_TEXT
            : undefined
      }
      submitLabel="Sign in"
      fields={["email", "password"]}
      onSubmit={async ({ email, password }) => {
        const invalid = checkAuthFields({ email, password }, false);
        if (invalid) return invalid;
        const { data, error } = await authClient.signIn.email({ email: email.trim(), password });
        if (error?.code === "EMAIL_NOT_VERIFIED") {
          await navigate({ to: "/check-email", search: { email: email.trim() } });
          return null;
        }
        if (error) return authErrorToFields(error);
        if (needsSecondFactor(data)) {
          setSecondFactor(true);
          return null;
        }
        focusComposerOnArrival();
        await navigate({ href: landingFor(next), replace: true });
        return null;
      }}
      footer={
        <>
          <ForgotPasswordLink />
          New here?{" "}
          <AuthLink to="/sign-up" next={next}>
            Create an account
          </AuthLink>
        </>
      }
    />
  );
}
