import { useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { localTime, visibleStatus } from "../core/profile-details";
import type { ProfileDetails } from "../ports";
import { profileCardFn } from "../server/fns/profile-details";
import { openDmFn } from "../server/fns/rooms";
import { Avatar } from "./Avatar";
import { BotBadge } from "./BotBadge";
import { Modal } from "./Modal";

const ROLE_LABELS: Record<string, string> = { owner: "Owner", admin: "Admin", guest: "Guest" };

/** Re-renders every `ms` (the local time) and at `until` (a status expiring). */
function useClock(ms: number, until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(tick);
  }, [ms]);
  useEffect(() => {
    if (until === null) return;
    const wait = until - Date.now();
    // Past the longest timer browsers keep: the minute tick gets there first anyway.
    if (wait > 2 ** 31 - 1) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, wait));
    return () => clearTimeout(timer);
  }, [until]);
  return now;
}

/**
 * The dialog "Profile of <name>" (issue 14): the avatar, display name,
 * @handle, status (dropped the moment it expires), local time in their
 * zone and their server role when not a plain member; "Message" opens a
 * DM with them (not shown on one's own card). Read afresh on each opening.
 */
export function ProfileCard({
  userId,
  name,
  meId,
  onClose,
}: {
  userId: string;
  name: string;
  meId?: string;
  onClose: () => void;
}) {
  const navigate = useNavigate();
  const [profile, setProfile] = useState<ProfileDetails | null | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const [dmError, setDmError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const now = useClock(30_000, profile?.status?.expiresAt ?? null);

  useEffect(() => {
    let live = true;
    profileCardFn({ data: { userId } }).then(
      (found) => live && setProfile(found),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [userId]);

  async function message() {
    if (opening) return;
    setOpening(true);
    setDmError(null);
    try {
      const answer = await openDmFn({ data: { userId } });
      if (!answer.ok) {
        setDmError(answer.error);
        return;
      }
      onClose();
      await navigate({ to: "/r/$slug", params: { slug: answer.slug } });
    } catch {
      setDmError("Could not open the conversation: check the connection and try again.");
    } finally {
      setOpening(false);
    }
  }

  const shownName = profile?.name ?? name;
  const status = visibleStatus(profile?.status, now);
  const time = profile?.timeZone ? localTime(now, profile.timeZone) : null;
  const role = profile ? ROLE_LABELS[profile.role] : undefined;
  return (
    <Modal title={`Profile of ${shownName}`} onClose={onClose}>
      {profile === undefined && !failed && (
        <p role="status" className="text-sm text-slate-600">
          Loading…
        </p>
      )}
      {(failed || profile === null) && (
        <p role="alert" className="text-sm text-red-700">
          {failed ? "Could not load this profile: try again." : "This account is no longer there."}
        </p>
      )}
      {profile && (
        <div className="flex flex-col gap-3" data-profile-card="">
          <div className="flex items-center gap-3">
            <Avatar user={profile} size="lg" />
            <div className="min-w-0">
              <p className="flex items-baseline gap-1.5 text-lg font-semibold">
                <span className="truncate">{profile.name}</span>
                {profile.bot && <BotBadge />}
              </p>
              {profile.handle && (
                <p className="truncate text-sm text-slate-600">@{profile.handle}</p>
              )}
              {role && (
                <p className="mt-1 inline-block rounded bg-slate-100 px-1.5 text-xs font-medium text-slate-700">
                  <span className="sr-only">Server role: </span>
                  {role}
                </p>
              )}
            </div>
          </div>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            {status && (
              <>
                <dt className="text-slate-600">Status</dt>
                <dd data-profile-status="">
                  {status.emoji && <span className="mr-1">{status.emoji}</span>}
                  {status.text}
                </dd>
              </>
            )}
            {time && profile.timeZone && (
              <>
                <dt className="text-slate-600">Local time</dt>
                <dd data-profile-time="">
                  {time}{" "}
                  <span className="text-slate-600">({profile.timeZone.replaceAll("_", " ")})</span>
                </dd>
              </>
            )}
          </dl>
          {profile.id !== meId && (
            <div className="flex flex-col items-end gap-1">
              <button
                type="button"
                onClick={message}
                disabled={opening}
                className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
              >
                Message
              </button>
              {dmError && (
                <p role="alert" className="text-sm text-red-700">
                  {dmError}
                </p>
              )}
            </div>
          )}
        </div>
      )}
    </Modal>
  );
}

/**
 * A person's name as a button that opens their profile card: Enter or
 * Space opens it (a native button), Escape closes it and focus comes back
 * here (Modal). Looks like the name it replaces.
 */
export function ProfileNameButton({
  user,
  meId,
  className = "",
  title,
}: {
  user: { id: string; name: string };
  meId?: string;
  className?: string;
  title?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        title={title}
        onClick={() => setOpen(true)}
        className={`rounded text-left hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 ${className}`}
      >
        {user.name}
      </button>
      {open && (
        // Keys and clicks in the card stay in it: the log and list around
        // the name have shortcuts of their own.
        // biome-ignore lint/a11y/noStaticElementInteractions: only stops events from bubbling
        <span
          className="contents"
          onKeyDown={(event) => event.stopPropagation()}
          onClick={(event) => event.stopPropagation()}
        >
          <ProfileCard
            userId={user.id}
            name={user.name}
            meId={meId}
            onClose={() => setOpen(false)}
          />
        </span>
      )}
    </>
  );
}
