import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { focusComposerOnArrival } from "../client/arrival-focus";
import { authClient } from "../client/auth-client";
import { authErrorToFields, checkAuthFields } from "../client/auth-errors";
import { AuthForm, AuthLink } from "../components/AuthForm";
import { ForgotPasswordLink } from "../components/ForgotPasswordLink";
import { landingFor, safeNext } from "../core/safe-next";
import { getSessionFn } from "../server/fns/session";

/** Shown when a tab was sent here because its session ended (see ChatProvider). */
const SESSION_ENDED_TEXT = "Your session ended. Sign in again.";

type Search = { reason?: "session-ended"; next?: string };

export const Route = createFileRoute("/sign-in")({
  // `next`: where a signed-out visit was going (a deep link); an unsafe one is dropped.
  validateSearch: (search: Record<string, unknown>): Search => {
    const next = safeNext(search.next) ?? undefined;
    return {
      ...(search.reason === "session-ended" && { reason: "session-ended" }),
      ...(next && { next }),
    };
  },
  beforeLoad: async ({ search }) => {
    if (await getSessionFn()) throw redirect({ href: landingFor(search.next) });
  },
  head: () => ({ meta: [{ title: "Sign in · Parley" }] }),
  component: SignIn,
});

function SignIn() {
  const navigate = useNavigate();
  const { reason, next } = Route.useSearch();
  return (
    <AuthForm
      title="Sign in to Parley"
      notice={reason === "session-ended" ? SESSION_ENDED_TEXT : undefined}
      submitLabel="Sign in"
      fields={["email", "password"]}
      onSubmit={async ({ email, password }) => {
        const invalid = checkAuthFields({ email, password }, false);
        if (invalid) return invalid;
        const { error } = await authClient.signIn.email({ email: email.trim(), password });
        if (error?.code === "EMAIL_NOT_VERIFIED") {
          await navigate({ to: "/check-email", search: { email: email.trim() } });
          return null;
        }
        if (error) return authErrorToFields(error);
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
