import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { authClient } from "../client/auth-client";
import { authErrorToFields, checkAuthFields } from "../client/auth-errors";
import { AuthForm, AuthLink } from "../components/AuthForm";
import { getSessionFn } from "../server/fns/session";

export const Route = createFileRoute("/sign-up")({
  beforeLoad: async () => {
    if (await getSessionFn()) throw redirect({ to: "/r/$slug", params: { slug: "general" } });
  },
  head: () => ({ meta: [{ title: "Create an account · Parley" }] }),
  component: SignUp,
});

function SignUp() {
  const navigate = useNavigate();
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
        await navigate({ to: "/r/$slug", params: { slug: "general" } });
        return null;
      }}
      footer={
        <>
          Have an account? <AuthLink to="/sign-in">Sign in</AuthLink>
        </>
      }
    />
  );
}
