import type { RoomSummary } from "../protocol/frames";
import { AdminLink } from "./AdminLink";
import { ProfileButton } from "./ProfileButton";
import { ShortcutsButton } from "./RoomKeyboard";
import { RoomNav } from "./RoomNav";
import { ThemeControl } from "./ThemeControl";

/**
 * The room list column from 768 px up (below, the same RoomNav is in the
 * "Rooms" drawer). The wordmark is the page's banner and the settings its
 * footer, so no text sits outside a landmark (axe's region rule).
 */
export function RoomSidebar({
  rooms,
  currentSlug,
  page,
  onCreate,
  onShortcuts,
}: {
  rooms: RoomSummary[];
  currentSlug: string;
  /** On a page of the nav's own (Saved, Browse rooms): its link is the current page. */
  page?: "saved" | "rooms";
  onCreate: (name: string, isPrivate: boolean) => Promise<string | null>;
  /** Opens the keyboard shortcuts dialog; pages without shortcuts leave the button out. */
  onShortcuts?: () => void;
}) {
  return (
    <div className="hidden shrink-0 flex-col overflow-y-auto border-r border-slate-200 bg-slate-100 p-3 md:flex md:w-64">
      <header>
        <p className="mb-4 px-2 text-lg font-bold text-indigo-700">Parley</p>
      </header>
      <RoomNav rooms={rooms} currentSlug={currentSlug} page={page} onCreate={onCreate} />
      <footer className="mt-4 flex flex-col gap-2 border-t border-slate-200 pt-3">
        <ProfileButton />
        <AdminLink />
        <ThemeControl />
        {onShortcuts && <ShortcutsButton onOpen={onShortcuts} />}
      </footer>
    </div>
  );
}
