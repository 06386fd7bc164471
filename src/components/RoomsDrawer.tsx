import { useRouterState } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import type { RoomSummary } from "../protocol/frames";
import { AdminLink } from "./AdminLink";
import { Modal } from "./Modal";
import { ProfileButton } from "./ProfileButton";
import { RoomNav } from "./RoomNav";
import { ThemeControl } from "./ThemeControl";

/**
 * Below 768 px the room list is this drawer: the dialog "Rooms" (a native
 * modal, so focus stays in it and Escape closes it) holding the same
 * RoomNav as the sidebar, with every joined room and its badges. It closes
 * on navigation: a click on any link in it (the current room's too), or
 * the address changing (a room just created).
 */
export function RoomsDrawer({
  rooms,
  currentSlug,
  page,
  onCreate,
  onClose,
}: {
  rooms: RoomSummary[];
  currentSlug: string;
  /** On a page of the nav's own (Saved, Browse rooms). */
  page?: "saved" | "rooms";
  onCreate: (name: string, isPrivate: boolean) => Promise<string | null>;
  onClose: () => void;
}) {
  const href = useRouterState({ select: (state) => state.location.href });
  const openedAt = useRef(href);
  useEffect(() => {
    if (href !== openedAt.current) onClose();
  }, [href, onClose]);
  const body = useRef<HTMLDivElement>(null);
  // Start on the room one is in (Modal's own focus went to "Close").
  useEffect(() => {
    body.current?.querySelector<HTMLElement>('a[aria-current="page"]')?.focus();
  }, []);
  return (
    <Modal title="Rooms" drawer onClose={onClose}>
      {/* Enter on a link is a click too, so the capture sees keyboard navigation. */}
      <div
        ref={body}
        className="flex flex-col gap-4"
        onClickCapture={(event) => {
          if (event.target instanceof Element && event.target.closest("a[href]")) onClose();
        }}
      >
        <RoomNav rooms={rooms} currentSlug={currentSlug} page={page} onCreate={onCreate} />
        <div className="flex flex-col gap-2 border-t border-slate-200 pt-3">
          <ProfileButton />
          <AdminLink />
          <ThemeControl />
        </div>
      </div>
    </Modal>
  );
}
