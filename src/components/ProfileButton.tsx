import { useEffect, useState } from "react";
import { useChatClient, useChatSelector } from "../client/hooks/chat-context";
import type { WireUser } from "../protocol/frames";
import { ProfileDialog } from "./ProfileDialog";

/**
 * The signed-in user's name and @handle with the "Edit profile" button
 * (sidebar footer and phone drawer), which opens the dialog "Profile".
 * The user is the chat client's (from `ready`, then every member list
 * the server sends, so a change made in another tab shows here too).
 */
export function ProfileButton() {
  const client = useChatClient();
  const current = useChatSelector((c) => c.user, null);
  const [saved, setSaved] = useState<WireUser | null>(null);
  const [open, setOpen] = useState(false);
  // What this tab just saved, until the server's member list brings it back.
  useEffect(() => {
    if (saved && sameAs(saved, current)) setSaved(null);
  }, [saved, current]);
  const user = saved && saved.id === current?.id ? saved : current;
  if (!user || !client) return null;
  return (
    <div className="flex items-center justify-between gap-2 px-2">
      <p className="min-w-0 text-sm">
        <span className="block truncate font-medium text-slate-800" title={user.name}>
          {user.name}
        </span>
        {user.handle && <span className="block truncate text-slate-600">@{user.handle}</span>}
      </p>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="shrink-0 rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        Edit profile
      </button>
      {open && (
        <ProfileDialog user={user} onClose={() => setOpen(false)} onSaved={(u) => setSaved(u)} />
      )}
    </div>
  );
}

function sameAs(a: WireUser, b: WireUser | null): boolean {
  return b !== null && a.name === b.name && a.handle === b.handle;
}
