import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { authClient } from "../client/auth-client";
import { authErrorToFields, checkAuthFields } from "../client/auth-errors";
import { AuthForm, AuthLink } from "../components/AuthForm";
import { getSessionFn } from "../server/fns/session";

/** Shown when a tab was sent here because its session ended (see ChatProvider). */
const SESSION_ENDED_TEXT = "Your session ended. Sign in again.";

export const Route = createFileRoute("/sign-in")({
  validateSearch: (search: Record<string, unknown>): { reason?: "session-ended" } =>
    search.reason === "session-ended" ? { reason: "session-ended" } : {},
  beforeLoad: async () => {
    if (await getSessionFn()) throw redirect({ to: "/r/$slug", params: { slug: "general" } });
  },
  head: () => ({ meta: [{ title: "Sign in · Parley" }] }),
  component: SignIn,
});

function SignIn() {
  const navigate = useNavigate();
  const { reason } = Route.useSearch();
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
        if (error) return authErrorToFields(error);
        await navigate({ to: "/r/$slug", params: { slug: "general" } });
        return null;
      }}
      footer={
        <>
          New here? <AuthLink to="/sign-up">Create an account</AuthLink>
        </>
      }
    />
  );
}
