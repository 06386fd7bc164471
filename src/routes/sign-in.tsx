import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { authClient } from "../client/auth-client";
import { authErrorToFields, checkAuthFields } from "../client/auth-errors";
import { AuthForm, AuthLink } from "../components/AuthForm";
import { getSessionFn } from "../server/fns/session";

export const Route = createFileRoute("/sign-in")({
  beforeLoad: async () => {
    if (await getSessionFn()) throw redirect({ to: "/r/$slug", params: { slug: "general" } });
  },
  head: () => ({ meta: [{ title: "Sign in · Parley" }] }),
  component: SignIn,
});

function SignIn() {
  const navigate = useNavigate();
  return (
    <AuthForm
      title="Sign in to Parley"
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
