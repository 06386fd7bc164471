import { createFileRoute, Link } from "@tanstack/react-router";
import { useState } from "react";
import { authClient } from "../client/auth-client";
import { AuthCard, linkClass, submitClass } from "../components/AuthCard";

// Issue 14, PARLEY_REQUIRE_EMAIL_VERIFICATION=true: where sign-up (and a
// refused sign-in of an unverified account) sends the person, with a way to
// have the link sent again.
type Search = { email?: string };

export const Route = createFileRoute("/check-email")({
  validateSearch: (search: Record<string, unknown>): Search =>
    typeof search.email === "string" && search.email.length <= 320 ? { email: search.email } : {},
  head: () => ({ meta: [{ title: "Verify your email · Parley" }] }),
  component: CheckEmail,
});

function CheckEmail() {
  const { email } = Route.useSearch();
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function again() {
    if (!email) return;
    setBusy(true);
    try {
      const { error } = await authClient.sendVerificationEmail({ email, callbackURL: "/" });
      setStatus(
        error
          ? error.message || "The link could not be sent. Try again in a minute."
          : "A new link is on its way.",
      );
    } catch {
      setStatus("Something went wrong. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Verify your email">
      <p className="text-slate-700">
        This server needs a verified email before you can sign in. We sent a link to{" "}
        {email ? <strong>{email}</strong> : "your address"}: open it to finish. Without email on
        this server, an admin has the link in the server log.
      </p>
      {email && (
        <button type="button" onClick={again} disabled={busy} className={submitClass}>
          Send the link again
        </button>
      )}
      <p role="status" className="text-sm text-slate-700">
        {status}
      </p>
      <p className="text-center text-sm">
        <Link to="/sign-in" className={linkClass}>
          Back to sign in
        </Link>
      </p>
    </AuthCard>
  );
}
