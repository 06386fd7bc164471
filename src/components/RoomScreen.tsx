import { useNavigate, useRouter, useRouterState } from "@tanstack/react-router";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { authClient } from "../client/auth-client";
import { ActionRefused } from "../client/chat-client";
import {
  useChatSelector,
  useConnectionStatus,
  useLiveRooms,
  useStrayRefusal,
} from "../client/hooks/chat-context";
import { useRoomSwitchFocus } from "../client/hooks/useArrivalFocus";
import { useEditLast } from "../client/hooks/useEditLast";
import { useMediaQuery } from "../client/hooks/useMediaQuery";
import { useReadMarker } from "../client/hooks/useReadMarker";
import { useRoom } from "../client/hooks/useRoom";
import { useSlashCommands } from "../client/hooks/useSlashCommands";
import { forgetOfflineData } from "../client/offline-cache";
import { refusalOf } from "../client/room-actions";
import { isThreadOnly } from "../client/thread-unread";
import { navRooms } from "../client/unread";
import { MOD_MUTED_MESSAGE } from "../core/policy";
import type { SearchHit } from "../ports";
import type { RoomSummary, WireMember, WireMessage, WireUser } from "../protocol/frames";
import { createRoomFn, historyFn, openDmFn, searchFn } from "../server/fns/rooms";
import { ActionError } from "./ActionError";
import { CommandNotices } from "./CommandNotices";
import { Composer } from "./Composer";
import { MembersPanel } from "./MembersPanel";
import type { MessageApi, ThreadApi } from "./MessageItem";
import { MessageLog } from "./MessageLog";
import { PinnedPanel } from "./PinnedPanel";
import { RoomHeader } from "./RoomHeader";
import { type KeyDialog, RoomKeyboard } from "./RoomKeyboard";
import { postingClosed, useRoomSettings } from "./RoomPosting";
import { useAdministers } from "./RoomSettingsDialog";
import { RoomSidebar } from "./RoomSidebar";
import { otherUnread } from "./RoomsButton";
import { RoomsDrawer } from "./RoomsDrawer";
import { COMPOSER_ID, SkipToComposer } from "./SkipToComposer";
import { ThreadPanel } from "./ThreadPanel";
import { TypingIndicator } from "./TypingIndicator";

const noSaved: ReadonlySet<string> = new Set();
/** From here the members panel is open by default (below, a toggle closed by default). */
const WIDE = "(min-width: 1100px)";
/** From here the sidebar lists the rooms; below, the "Rooms" drawer does. */
const SIDEBAR = "(min-width: 768px)";

const notConnected = () => Promise.reject(new ActionRefused("disconnected", "not connected"));

type Props = {
  room: RoomSummary;
  rooms: RoomSummary[];
  user: WireUser;
  initial: WireMessage[];
  /** The message to jump to (search result), from `?m=`. */
  focusSeq?: number;
  /** A thread to open at once (`?t=`, from the Threads page). */
  threadRootId?: string;
  /** With threadRootId: the reply to show in that thread (`?r=`). */
  threadFocusSeq?: number;
  /** The room's pinned messages as the page was loaded. */
  pinned?: WireMessage[];
};

/**
 * One open room: navigation, header, the conversation, composer and
 * members. Mounted per room (keyed by id), so per-visit state such as the
 * "New messages" position starts afresh in each room.
 */
export function RoomScreen({
  room,
  rooms,
  user,
  initial,
  focusSeq,
  threadRootId,
  threadFocusSeq,
  pinned,
}: Props) {
  const navigate = useNavigate();
  const router = useRouter();
  const status = useConnectionStatus();
  const connected = status === "connected";
  // Leaving for another room: this screen stays up until that one's loader
  // answers, and its composer must not take a message meant for the next.
  const leaving = useRouterState({ select: (state) => state.status === "pending" });
  const chat = useRoom(room.id, initial, room.lastSeq, room, pinned);
  const { client } = chat;
  const live = useLiveRooms();
  const savedIds = useChatSelector((c) => c.savedIds(), noSaved);
  const stray = useStrayRefusal();
  const nav = useMemo(() => navRooms(rooms, live, room.id), [rooms, live, room.id]);
  // The room's settings as last heard (issue 14: room_updated renames, archives).
  const settings = useRoomSettings(room, live);
  const administers = useAdministers(settings);
  const [atBottom, setAtBottom] = useState(focusSeq === undefined);
  // The members panel: the person's choice, else open from 1100 px (null).
  // A new width band drops the choice, so a window made wide shows members again.
  const wide = useMediaQuery(WIDE);
  const [membersChoice, setMembersChoice] = useState<boolean | null>(null);
  const [choiceWide, setChoiceWide] = useState(wide);
  if (choiceWide !== wide) {
    setChoiceWide(wide);
    setMembersChoice(null);
  }
  const membersOpen = membersChoice ?? wide;
  const [roomsOpen, setRoomsOpen] = useState(false);
  // The drawer is for windows under 768 px: widening the window closes it
  // (the sidebar shows the same list).
  const sidebarShown = useMediaQuery(SIDEBAR);
  const [drawerFor, setDrawerFor] = useState(sidebarShown);
  if (drawerFor !== sidebarShown) {
    setDrawerFor(sidebarShown);
    setRoomsOpen(false);
  }
  const closeRooms = useCallback(() => setRoomsOpen(false), []);
  const [keyDialog, setKeyDialog] = useState<KeyDialog>(null);
  const roomsUnread = useMemo(() => otherUnread(nav, room.id), [nav, room.id]);
  useRoomSwitchFocus(focusSeq !== undefined || threadRootId !== undefined);
  /** The open thread's root id (the "Thread" panel), if any. */
  const [threadRoot, setThreadRoot] = useState<string | null>(threadRootId ?? null);
  const openedFrom = useRef<number | undefined>(undefined);
  const membersId = useId();
  /** Files dropped anywhere on the conversation go to its composer. */
  const conversation = useRef<HTMLElement>(null);
  const [pinnedOpen, setPinnedOpen] = useState(false);
  const pinnedId = useId();
  // Where unread began when the room was opened; fixed for this visit.
  const [readAtOpen] = useState(room.lastReadSeq);
  const dividerSeq =
    chat.messages.find((m) => m.seq > readAtOpen && m.author.id !== user.id && !isThreadOnly(m))
      ?.seq ?? null;

  useReadMarker(client, room.id, atBottom, chat.messages.at(-1)?.seq ?? 0);

  // Up arrow in the empty composer edits my last message shown in the room's
  // log (a reply kept in its thread is not there: the thread's Up edits it).
  const roomLog = useMemo(() => chat.messages.filter((m) => !isThreadOnly(m)), [chat.messages]);
  const {
    editRequest,
    editLast,
    onEditEnd,
    inputRef: composerBox,
  } = useEditLast(roomLog, user.id, connected);

  const api = useMemo<MessageApi>(
    () => ({
      edit: (id, text) => client?.edit(room.id, id, text) ?? notConnected(),
      remove: (id) => client?.remove(room.id, id) ?? notConnected(),
      react: (id, emoji) => client?.react(room.id, id, emoji) ?? notConnected(),
      pin: (id, pinned) => client?.pin(room.id, id, pinned) ?? notConnected(),
      save: (id, saved) => client?.save(room.id, id, saved) ?? notConnected(),
      removePreview: (id) => client?.removePreview(room.id, id) ?? notConnected(),
      // Room moderators and server admins (who moderate every room).
      moderates: administers,
    }),
    [client, room.id, administers],
  );

  const thread = useMemo<ThreadApi>(
    () => ({
      open: (message) => {
        openedFrom.current = message.seq;
        setThreadRoot(message.id);
        // Refused (not connected, gone): the panel shows what it has.
        client?.openThread(room.id, message.id).catch(() => undefined);
      },
    }),
    [client, room.id],
  );
  // A thread named in the address opens once the client is there; a link
  // within this room (search hit, pin) names another one while mounted.
  useEffect(() => {
    if (!threadRootId) return;
    setThreadRoot(threadRootId);
    client?.openThread(room.id, threadRootId).catch(() => undefined);
  }, [client, room.id, threadRootId]);
  const closeThread = useCallback(() => {
    if (threadRoot) client?.closeThread(threadRoot);
    setThreadRoot(null);
    // A thread opened by the address: drop it there, so the same link opens it again.
    if (threadRootId) {
      void navigate({
        to: ".",
        search: (prev) => ({ ...prev, t: undefined, r: undefined }),
        replace: true,
      });
    }
    // Focus goes back to the message the thread was opened from (keyboard users).
    const seq = openedFrom.current;
    requestAnimationFrame(() => {
      document
        .querySelector<HTMLElement>(
          `[aria-label="Messages"] li[data-seq="${seq}"] button[aria-label="Message actions"]`,
        )
        ?.focus();
    });
  }, [client, threadRoot, threadRootId, navigate]);

  const loadGap = useCallback(
    async (beforeSeq: number) => {
      const page = await historyFn({ data: { roomId: room.id, beforeSeq } });
      client?.addOlder(room.id, page);
    },
    [client, room.id],
  );

  async function createRoom(name: string, isPrivate: boolean) {
    const result = await createRoomFn({ data: { name, private: isPrivate } });
    if (!result.ok) return result.error;
    await navigate({ to: "/r/$slug", params: { slug: result.room.slug } });
    return null;
  }

  async function messageMember(member: WireMember) {
    const result = await openDmFn({ data: { userId: member.id } });
    if (!result.ok) return result.error;
    await navigate({ to: "/r/$slug", params: { slug: result.slug } });
    return null;
  }

  /** Null once left (and on the way to general), else why not, shown by the button. */
  async function leave(): Promise<string | null> {
    if (!client) return "Not connected.";
    try {
      await client.leave(room.id);
    } catch (error) {
      return refusalOf(error);
    }
    await navigate({ to: "/r/$slug", params: { slug: "general" } });
    return null;
  }

  const slash = useSlashCommands(client, room.id, leave);

  async function signOut() {
    // This tab ends the session itself: its socket must not take the 4001
    // that follows for a session that ended elsewhere.
    client?.stop();
    await authClient.signOut();
    // An offline reload must not show this person's rooms to the next one (issue 13).
    await forgetOfflineData(user.id);
    await router.invalidate();
    await navigate({ to: "/sign-in" });
  }

  // Search hits name DMs "Direct message"; the nav knows the other person.
  const roomName = (hit: SearchHit["room"]) => nav.find((r) => r.id === hit.id)?.name ?? hit.name;

  return (
    <div className="flex h-full flex-col md:flex-row">
      <SkipToComposer />
      <RoomSidebar
        rooms={nav}
        currentSlug={room.slug}
        onCreate={createRoom}
        onShortcuts={() => setKeyDialog("shortcuts")}
      />
      {roomsOpen && (
        <RoomsDrawer
          rooms={nav}
          currentSlug={room.slug}
          onCreate={createRoom}
          onClose={closeRooms}
        />
      )}
      <RoomKeyboard rooms={nav} room={room} dialog={keyDialog} onDialog={setKeyDialog} />
      <main ref={conversation} className="flex min-h-0 min-w-0 flex-1 flex-col bg-white">
        <RoomHeader
          room={settings}
          administers={administers}
          user={user}
          status={status}
          membersOpen={membersOpen}
          membersId={membersId}
          onToggleMembers={() => setMembersChoice(!membersOpen)}
          roomsOpen={roomsOpen}
          onOpenRooms={() => setRoomsOpen(true)}
          roomsUnread={roomsUnread}
          onSearch={(q) => searchFn({ data: { q } })}
          roomName={roomName}
          onSignOut={signOut}
          pinnedCount={chat.pinned.length}
          pinnedOpen={pinnedOpen}
          pinnedId={pinnedId}
          onTogglePinned={() => setPinnedOpen((open) => !open)}
        />
        {pinnedOpen && (
          <PinnedPanel
            id={pinnedId}
            slug={room.slug}
            pinned={chat.pinned}
            members={chat.members}
            onClose={() => setPinnedOpen(false)}
          />
        )}
        <MessageLog
          messages={chat.messages}
          pending={chat.pending}
          me={user}
          members={chat.members}
          api={api}
          canAct={connected}
          savedIds={savedIds}
          dividerSeq={dividerSeq}
          firstUnreadSeq={dividerSeq === null ? null : readAtOpen + 1}
          focusSeq={focusSeq}
          hasOlder={chat.hasOlder}
          loadingOlder={chat.loadingOlder}
          onLoadOlder={chat.loadOlder}
          onLoadGap={loadGap}
          onRetry={(id) => client?.retry(id)}
          onDiscard={(id) => client?.discard(id)}
          onAtBottomChange={setAtBottom}
          thread={thread}
          editRequest={editRequest}
          onEditEnd={onEditEnd}
        />
        <TypingIndicator users={chat.typing.filter((u) => u.id !== user.id)} />
        <ActionError error={stray.refusal} onDismiss={stray.dismiss} />
        <CommandNotices notices={slash.notices} onDismiss={slash.dismiss} />
        <div id={COMPOSER_ID} className="contents">
          {settings.modMuted && !postingClosed(settings, administers) && (
            <p role="status" className="px-4 pt-2 text-sm text-slate-600">
              {MOD_MUTED_MESSAGE}
            </p>
          )}
          {postingClosed(settings, administers) ?? (
            <Composer
              placeholder={`Message ${room.kind === "dm" ? room.name : `#${room.name}`}`}
              onSend={(text, files) => client?.send(room.id, text, undefined, files)}
              onTyping={() => client?.typing(room.id)}
              disabled={leaving || settings.modMuted === true}
              draftUserId={user.id}
              draftKey={room.id}
              onEditLast={editLast}
              inputRef={composerBox}
              dropTarget={conversation}
              members={chat.members}
              meId={user.id}
              unresolved={chat.unresolved}
              onInvite={async (handle) => client?.inviteByHandle(room.id, handle)}
              onDismissUnresolved={() => client?.dismissUnresolved(room.id)}
              commands={slash.commands}
              onCommand={slash.run}
            />
          )}
        </div>
      </main>
      {threadRoot && (
        <ThreadPanel
          key={threadRoot}
          client={client}
          roomId={room.id}
          rootId={threadRoot}
          me={user}
          members={chat.members}
          api={api}
          connected={connected}
          focusSeq={threadRoot === threadRootId ? threadFocusSeq : undefined}
          onClose={closeThread}
        />
      )}
      <MembersPanel
        id={membersId}
        room={settings}
        members={chat.members}
        memberCount={chat.memberCount}
        moreMembers={chat.moreMembers}
        onMoreMembers={chat.loadMoreMembers}
        me={user}
        connected={connected}
        open={membersChoice ?? (wide ? true : null)}
        onMessage={messageMember}
        onInvite={(userId) =>
          client
            ? client.invite(room.id, userId)
            : Promise.reject(new ActionRefused("disconnected", "not connected"))
        }
        onLeave={leave}
        onModerate={(userId, action) =>
          client ? client.moderate(room.id, userId, action) : notConnected()
        }
        onClose={() => {
          setMembersChoice(false);
          document.querySelector<HTMLElement>(`[aria-controls="${membersId}"]`)?.focus();
        }}
      />
    </div>
  );
}
