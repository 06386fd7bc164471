import { useNavigate } from "@tanstack/react-router";
import { type ReactNode, useEffect, useMemo } from "react";
import type { RoomSummary } from "../protocol/frames";

/**
 * The room on screen with its settings as last heard over the socket
 * (issue 14): a rename, a topic, announcement-only, archived, and the
 * reader's own role and moderator mute. A rename
 * that changed the slug moves the address to it, so a reload finds it.
 */
export function useRoomSettings(room: RoomSummary, live: readonly RoomSummary[]): RoomSummary {
  const heard = live.find((summary) => summary.id === room.id);
  const navigate = useNavigate();
  const slug = heard?.slug;
  useEffect(() => {
    if (slug && slug !== room.slug) {
      void navigate({ to: "/r/$slug", params: { slug }, replace: true });
    }
  }, [slug, room.slug, navigate]);
  return useMemo(() => {
    if (!heard) return room;
    const {
      topic: _t,
      announcementOnly: _a,
      archived: _r,
      role: _role,
      modMuted: _muted,
      ...rest
    } = room;
    return {
      ...rest,
      name: heard.name,
      slug: heard.slug,
      ...(heard.topic ? { topic: heard.topic } : {}),
      ...(heard.announcementOnly ? { announcementOnly: true } : {}),
      ...(heard.archived ? { archived: true } : {}),
      // The reader's own standing, live (member_updated): a mute or a new
      // moderator shows without a reload.
      ...(heard.role ? { role: heard.role } : {}),
      ...(heard.modMuted ? { modMuted: true } : {}),
    };
  }, [room, heard]);
}

/**
 * What replaces the composer in a room that takes no post from this user
 * (core/policy mayPost): an archived room, or an announcement-only room
 * they do not moderate. Null when they may post.
 */
export function postingClosed(room: RoomSummary, moderates: boolean): ReactNode | null {
  const text = room.archived
    ? "This room is archived."
    : room.announcementOnly && !moderates
      ? "Only moderators can post in this room."
      : null;
  if (!text) return null;
  return (
    <p className="border-t border-slate-200 px-4 py-3 text-sm text-slate-700" role="status">
      {text}
    </p>
  );
}
