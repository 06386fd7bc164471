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
import { useEditLast } from "../client/hooks/useEditLast";
import { useReadMarker } from "../client/hooks/useReadMarker";
import { useRoom } from "../client/hooks/useRoom";
import { inviteRefusal, refusalOf } from "../client/room-actions";
import { isThreadOnly } from "../client/thread-unread";
import { navRooms } from "../client/unread";
import type { SearchHit } from "../ports";
import type { RoomSummary, WireMember, WireMessage, WireUser } from "../protocol/frames";
import { createRoomFn, historyFn, openDmFn, searchFn } from "../server/fns/rooms";
import { ActionError } from "./ActionError";
import { Composer } from "./Composer";
import { MembersPanel } from "./MembersPanel";
import type { MessageApi, ThreadApi } from "./MessageItem";
import { MessageLog } from "./MessageLog";
import { PinnedPanel } from "./PinnedPanel";
import { RoomHeader } from "./RoomHeader";
import { RoomKeyboard } from "./RoomKeyboard";
import { RoomNav } from "./RoomNav";
import { ThemeControl } from "./ThemeControl";
import { ThreadPanel } from "./ThreadPanel";
import { TypingIndicator } from "./TypingIndicator";

const noSaved: ReadonlySet<string> = new Set();
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
  const [atBottom, setAtBottom] = useState(focusSeq === undefined);
  const [membersOpen, setMembersOpen] = useState(false);
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
    }),
    [client, room.id],
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

  async function signOut() {
    // This tab ends the session itself: its socket must not take the 4001
    // that follows for a session that ended elsewhere.
    client?.stop();
    await authClient.signOut();
    await router.invalidate();
    await navigate({ to: "/sign-in" });
  }

  // Search hits name DMs "Direct message"; the nav knows the other person.
  const roomName = (hit: SearchHit["room"]) => nav.find((r) => r.id === hit.id)?.name ?? hit.name;

  return (
    <div className="flex h-full flex-col md:flex-row">
      <div className="max-h-56 shrink-0 overflow-y-auto border-b border-slate-200 bg-slate-100 p-3 md:max-h-none md:w-64 md:border-r md:border-b-0">
        <p className="mb-4 px-2 text-lg font-bold text-indigo-700">Parley</p>
        <RoomNav rooms={nav} currentSlug={room.slug} onCreate={createRoom} />
        <div className="mt-4 flex flex-col gap-2 border-t border-slate-200 pt-3">
          <ThemeControl />
          <RoomKeyboard rooms={nav} room={room} />
        </div>
      </div>
      <main ref={conversation} className="flex min-h-0 min-w-0 flex-1 flex-col bg-white">
        <RoomHeader
          room={room}
          user={user}
          status={status}
          membersOpen={membersOpen}
          membersId={membersId}
          onToggleMembers={() => setMembersOpen((open) => !open)}
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
        <Composer
          placeholder={`Message ${room.kind === "dm" ? room.name : `#${room.name}`}`}
          onSend={(text, files) => client?.send(room.id, text, undefined, files)}
          onTyping={() => client?.typing(room.id)}
          disabled={leaving}
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
        />
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
        room={room}
        members={chat.members}
        me={user}
        connected={connected}
        open={membersOpen}
        onMessage={messageMember}
        onInvite={(userId) =>
          client
            ? client.invite(room.id, userId).then(() => null, inviteRefusal)
            : Promise.resolve("Not connected.")
        }
        onLeave={leave}
        onClose={() => setMembersOpen(false)}
      />
    </div>
  );
}
