import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { focusComposerOnArrival } from "../client/arrival-focus";
import { authClient } from "../client/auth-client";
import { authErrorToFields, checkAuthFields } from "../client/auth-errors";
import { AuthForm, AuthLink } from "../components/AuthForm";
import { landingFor, safeNext } from "../core/safe-next";
import { getSessionFn } from "../server/fns/session";

export const Route = createFileRoute("/sign-up")({
  // `next`, as on /sign-in: a deep link survives choosing to sign up instead.
  validateSearch: (search: Record<string, unknown>): { next?: string } => {
    const next = safeNext(search.next) ?? undefined;
    return next ? { next } : {};
  },
  beforeLoad: async ({ search }) => {
    if (await getSessionFn()) throw redirect({ href: landingFor(search.next) });
  },
  head: () => ({ meta: [{ title: "Create an account · Parley" }] }),
  component: SignUp,
});

function SignUp() {
  const navigate = useNavigate();
  const { next } = Route.useSearch();
  return (
    <AuthForm
      title="Create your Parley account"
      submitLabel="Create account"
      fields={["name", "email", "password"]}
      onSubmit={async ({ name, email, password }) => {
        const invalid = checkAuthFields({ name, email, password }, true);
        if (invalid) return invalid;
        const { error } = await authClient.signUp.email({
          name: name.trim(),
          email: email.trim(),
          password,
        });
        if (error) return authErrorToFields(error);
        focusComposerOnArrival();
        await navigate({ href: landingFor(next), replace: true });
        return null;
      }}
      footer={
        <>
          Have an account?{" "}
          <AuthLink to="/sign-in" next={next}>
            Sign in
          </AuthLink>
        </>
      }
    />
  );
}
