import { useCallback, useEffect, useState } from "react";
import { listInvitesFn, revokeInviteFn } from "../server/fns/invites";
import { InviteForm } from "./InviteForm";

type Invite = Awaited<ReturnType<typeof listInvitesFn>>[number];

const STATE_TEXT: Record<Invite["state"], string> = {
  usable: "Active",
  expired: "Expired",
  used_up: "Used up",
  revoked: "Revoked",
  not_found: "Unknown",
};

function when(ms: number | null): string {
  return ms === null ? "Never" : new Date(ms).toLocaleString();
}

/**
 * The admin console's invite links (issue 14): make a server invite
 * (member or guest; expiry and use limit), see every link with its uses,
 * revoke one. Room links made from a room header are listed here too.
 */
export function InviteLinks() {
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setInvites(await listInvitesFn());
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : "The links could not be loaded.");
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(id: string) {
    const answer = await revokeInviteFn({ data: { id } });
    if (!answer.ok) setError(answer.error);
    await load();
  }

  return (
    <section aria-labelledby="invite-links-title" className="space-y-4">
      <h2 id="invite-links-title" className="text-lg font-semibold">
        Invite links
      </h2>
      <InviteForm roomId={null} allowGuest onCreated={load} />
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      {invites && invites.length === 0 && <p className="text-sm text-slate-600">No links yet.</p>}
      {invites && invites.length > 0 && (
        <div className="overflow-x-auto">
          <table aria-label="Invite links" className="w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Room
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Joins as
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Made by
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Expires
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Uses
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  State
                </th>
                <th scope="col" className="py-1 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invites.map((invite) => (
                <tr key={invite.id} className="border-t border-slate-200">
                  <td className="py-1 pr-3">{invite.roomName ? `#${invite.roomName}` : "None"}</td>
                  <td className="py-1 pr-3">{invite.role === "guest" ? "Guest" : "Member"}</td>
                  <td className="py-1 pr-3">{invite.creatorName ?? "Unknown"}</td>
                  <td className="py-1 pr-3">{when(invite.expiresAt)}</td>
                  <td className="py-1 pr-3">
                    {invite.uses} of {invite.maxUses ?? "unlimited"}
                  </td>
                  <td className="py-1 pr-3">{STATE_TEXT[invite.state]}</td>
                  <td className="py-1">
                    {invite.state === "usable" && (
                      <button
                        type="button"
                        onClick={() => revoke(invite.id)}
                        aria-label={`Revoke the link made ${when(invite.createdAt)}`}
                        className="rounded-md px-2 py-0.5 text-red-700 ring-1 ring-slate-300 hover:bg-red-50"
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
