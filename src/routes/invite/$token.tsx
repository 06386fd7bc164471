import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { INVITE_COOKIE } from "../../core/invites";
import { acceptInviteFn, inviteInfoFn } from "../../server/fns/invites";

// Issue 14: what an invite link is, or why it cannot be used. Signed out:
// sign-up and sign-in links that come back here (the token also rides in a
// cookie, so the sign-up, by form or single sign-on, carries it). Signed in:
// a room's link joins that room.
export const Route = createFileRoute("/invite/$token")({
  loader: ({ params }) => inviteInfoFn({ data: { token: params.token } }),
  head: () => ({ meta: [{ title: "Invite · Parley" }] }),
  component: InvitePage,
});

function leaveToken(token: string) {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser yet
  document.cookie = `${INVITE_COOKIE}=${encodeURIComponent(token)}; path=/; max-age=3600; samesite=lax`;
}
function dropToken() {
  // biome-ignore lint/suspicious/noDocumentCookie: as above
  document.cookie = `${INVITE_COOKIE}=; path=/; max-age=0; samesite=lax`;
}

function InvitePage() {
  const info = Route.useLoaderData();
  const { token } = Route.useParams();
  const navigate = useNavigate();
  const [joinError, setJoinError] = useState<string | null>(null);
  const here = `/invite/${token}`;
  const usable = info.state === "usable";

  useEffect(() => {
    if (!usable && !info.signedIn) return;
    if (!info.signedIn) {
      leaveToken(token);
      return;
    }
    dropToken();
    if (!info.roomName) return;
    let live = true;
    acceptInviteFn({ data: { token } })
      .then(async (answer) => {
        if (!live) return;
        if (!answer.ok) setJoinError(answer.error);
        else if (answer.slug) await navigate({ href: `/r/${answer.slug}`, replace: true });
      })
      .catch(() => live && setJoinError("Could not join. Check your connection and reload."));
    return () => {
      live = false;
    };
  }, [usable, info.signedIn, info.roomName, token, navigate]);

  const link = "font-medium text-indigo-600 hover:underline";
  return (
    <main className="flex min-h-full items-center justify-center p-4">
      <div className="w-full max-w-md space-y-4 rounded-2xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        {usable ? (
          <>
            <h1 className="text-2xl font-semibold">You are invited to {info.serverName}</h1>
            <p className="text-slate-700">
              {info.inviterName ?? "Someone"} invited you
              {info.roomName ? ` to the room #${info.roomName}` : ""}. This link makes you an
              account on {info.serverName}
              {info.roomName ? " and puts you in that room" : ""}.
            </p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="font-medium">Server</dt>
              <dd>{info.serverName}</dd>
              {info.roomName && (
                <>
                  <dt className="font-medium">Room</dt>
                  <dd>#{info.roomName}</dd>
                </>
              )}
              <dt className="font-medium">Invited by</dt>
              <dd>{info.inviterName ?? "Unknown"}</dd>
              <dt className="font-medium">Expires</dt>
              <dd>
                {info.expiresAt === null ? "Never" : new Date(info.expiresAt).toLocaleString()}
              </dd>
              <dt className="font-medium">Uses left</dt>
              <dd>{info.usesLeft === null ? "Unlimited" : info.usesLeft}</dd>
            </dl>
            {!info.signedIn && (
              <p className="text-sm text-slate-700">
                <Link to="/sign-up" search={{ next: here }} className={link}>
                  Create an account
                </Link>{" "}
                or, if you have one,{" "}
                <Link to="/sign-in" search={{ next: here }} className={link}>
                  sign in
                </Link>
                .
              </p>
            )}
            {info.signedIn && info.roomName && !joinError && (
              <p role="status" className="text-sm text-slate-700">
                Joining #{info.roomName}…
              </p>
            )}
            {info.signedIn && !info.roomName && (
              <p className="text-sm text-slate-700">
                You are signed in already.{" "}
                <Link to="/" className={link}>
                  Go to your rooms
                </Link>
              </p>
            )}
          </>
        ) : (
          <>
            <h1 className="text-2xl font-semibold">This invite link cannot be used</h1>
            <p className="text-slate-700">{info.reason}</p>
            <p className="text-sm">
              <Link to={info.signedIn ? "/" : "/sign-in"} className={link}>
                {info.signedIn ? "Go to your rooms" : "Sign in"}
              </Link>
            </p>
          </>
        )}
        {joinError && (
          <p role="alert" className="text-sm text-red-600">
            {joinError}
          </p>
        )}
      </div>
    </main>
  );
}
