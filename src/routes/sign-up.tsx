import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { focusComposerOnArrival } from "../client/arrival-focus";
import { authClient } from "../client/auth-client";
import { authErrorToFields, checkAuthFields } from "../client/auth-errors";
import { AuthForm, AuthLink } from "../components/AuthForm";
import { SsoOnlyCard, SsoSignIn } from "../components/SsoSignIn";
import { normalizeHandle, suggestHandle } from "../core/handles";
import { landingFor, safeNext } from "../core/safe-next";
import { ssoErrorCode } from "../core/sso-errors";
import { getSessionFn } from "../server/fns/session";
import { getSignInOptionsFn } from "../server/fns/sign-in-options";

export const Route = createFileRoute("/sign-up")({
  // `next`, as on /sign-in: a deep link survives choosing to sign up instead.
  validateSearch: (search: Record<string, unknown>): { next?: string; error?: string } => {
    const next = safeNext(search.next) ?? undefined;
    const error = ssoErrorCode(search.error);
    return { ...(next && { next }), ...(error && { error }) };
  },
  beforeLoad: async ({ search }) => {
    if (await getSessionFn()) throw redirect({ href: landingFor(search.next) });
  },
  loader: () => getSignInOptionsFn(),
  head: () => ({ meta: [{ title: "Create an account · Parley" }] }),
  component: SignUp,
});

function SignUp() {
  const navigate = useNavigate();
  const { next, error } = Route.useSearch();
  const options = Route.useLoaderData();
  const sso = { options, next, error, returnTo: "/sign-up" } as const;
  if (!options.passwordLogin) return <SsoOnlyCard title="Create your Parley account" {...sso} />;
  return (
    <AuthForm
      below={<SsoSignIn {...sso} />}
      title="Create your Parley account"
      submitLabel="Create account"
      fields={["name", "handle", "email", "password"]}
      onSubmit={async ({ name, handle, email, password }) => {
        const invalid = checkAuthFields({ name, handle, email, password }, true);
        if (invalid) return invalid;
        // The suggestion left as it was is not sent: the server then takes
        // it, or it with the first free number when someone has it already.
        // `handle` is a user field of Parley's (better-auth additionalFields);
        // this client is not typed with it, hence the widened body.
        const chosen = normalizeHandle(handle);
        const body: Parameters<typeof authClient.signUp.email>[0] & { handle?: string } = {
          name: name.trim(),
          email: email.trim(),
          password,
          ...(chosen !== suggestHandle(name) && { handle: chosen }),
        };
        const { data, error } = await authClient.signUp.email(body);
        if (error) return authErrorToFields(error);
        // Email verification required: no session until the link is opened.
        if (data && !data.token) {
          await navigate({ to: "/check-email", search: { email: body.email } });
          return null;
        }
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
