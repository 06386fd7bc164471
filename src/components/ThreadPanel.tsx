import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import type { ChatClient } from "../client/chat-client";
import { useEditLast } from "../client/hooks/useEditLast";
import { useThread } from "../client/hooks/useThread";
import { focusMessage } from "../client/message-focus";
import { refusalOf } from "../client/room-actions";
import type { WireFile, WireMember, WireUser } from "../protocol/frames";
import { Composer } from "./Composer";
import { type MessageApi, MessageItem } from "./MessageItem";
import { PendingItem } from "./PendingItem";

type Props = {
  client: ChatClient | null;
  roomId: string;
  rootId: string;
  me: WireUser;
  members: readonly WireMember[];
  api: MessageApi;
  connected: boolean;
  /** A reply to scroll to and highlight (a link to a thread-only reply, `?r=`). */
  focusSeq?: number;
  onClose: () => void;
};

/**
 * The "Thread" landmark: the root, then its replies in order (log "Thread
 * messages"), the "Reply" composer with "Also send to room", Follow /
 * Unfollow, and Close (Esc too). The thread read marker moves while the
 * newest reply is in view.
 */
export function ThreadPanel({
  client,
  roomId,
  rootId,
  me,
  members,
  api,
  connected,
  focusSeq,
  onClose,
}: Props) {
  const view = useThread(rootId);
  const heading = useId();
  const [alsoToRoom, setAlsoToRoom] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [bottom, setBottom] = useState(true);
  const panel = useRef<HTMLElement>(null);
  const latest = view.replies.at(-1)?.seq ?? 0;
  const focused = useRef<number | undefined>(undefined);
  // Up arrow in the empty "Reply" box edits my last reply here, as the room's composer does.
  const { editRequest, editLast, onEditEnd, inputRef } = useEditLast(
    view.replies,
    me.id,
    connected,
  );

  // Focus moves into the thread when it opens, so the keyboard can reply at
  // once; a reply a link asked for (a search hit) takes it once it is there.
  useEffect(() => {
    panel.current?.querySelector<HTMLTextAreaElement>("textarea")?.focus();
  }, []);

  // Stick to the newest reply while the reader is at the bottom, except
  // once for a reply a link asked for: that one is scrolled into view.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const target =
      focusSeq !== undefined && focused.current !== focusSeq
        ? el.querySelector<HTMLElement>(`li[data-seq="${focusSeq}"]`)
        : null;
    if (target) {
      focused.current = focusSeq;
      target.scrollIntoView({ block: "center" });
      focusMessage(target);
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      setBottom(atBottom.current);
    } else if (atBottom.current) el.scrollTop = el.scrollHeight;
  });

  // Read while open, visible and at the bottom (debounced like the room's marker).
  useEffect(() => {
    if (!client || !connected || !bottom || latest === 0 || !view.following) return;
    const timer = setTimeout(() => {
      if (document.visibilityState === "visible") void client.markThreadRead(roomId, rootId);
    }, 300);
    return () => clearTimeout(timer);
  }, [client, connected, bottom, latest, view.following, roomId, rootId]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    setBottom(atBottom.current);
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    // A menu or editor inside handles its own Escape first (it prevents the default).
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  }

  async function toggleFollow() {
    if (!client) return;
    setError(null);
    try {
      await client.follow(roomId, rootId, !view.following);
    } catch (refused) {
      setError(`Not changed. ${refusalOf(refused)}`);
    }
  }

  function send(text: string, files: WireFile[]) {
    if (!client) return;
    setError(null);
    atBottom.current = true;
    client
      .send(roomId, text, { rootId, alsoToRoom }, files)
      .catch((refused) => setError(`Not sent. ${refusalOf(refused)}`));
  }

  const { root } = view;
  return (
    <aside
      ref={panel}
      aria-labelledby={heading}
      onKeyDown={onKeyDown}
      // On phones it covers the room (Close or Esc goes back); from md up a column.
      className="fixed inset-0 z-30 flex min-h-0 flex-col bg-white md:static md:z-auto md:w-96 md:shrink-0 md:border-l md:border-slate-200"
    >
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-2">
        <h2 id={heading} className="flex-1 font-semibold text-slate-900">
          Thread
        </h2>
        <button
          type="button"
          onClick={toggleFollow}
          disabled={!connected || view.loading}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-700 hover:bg-slate-100 disabled:opacity-50"
        >
          {view.following ? "Unfollow thread" : "Follow thread"}
        </button>
        <button
          type="button"
          aria-label="Close thread"
          onClick={onClose}
          className="rounded-md px-2 py-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800"
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div ref={scroller} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto px-4 py-3">
        <div role="log" aria-label="Thread messages">
          <ul className="flex flex-col gap-1">
            {root && (
              <MessageItem
                message={root}
                me={me}
                members={members}
                api={api}
                canAct={connected}
                highlighted={false}
              />
            )}
            {root && (
              <li
                aria-hidden="true"
                className="my-1 border-t border-slate-200 pt-1 text-xs text-slate-500"
              >
                {view.replies.length === 1 ? "1 reply" : `${view.replies.length} replies`}
              </li>
            )}
            {view.replies.map((reply) => (
              <MessageItem
                key={reply.seq}
                message={reply}
                me={me}
                members={members}
                api={api}
                canAct={connected}
                highlighted={reply.seq === focusSeq}
                editRequest={editRequest?.messageId === reply.id ? editRequest.count : undefined}
                onEditEnd={onEditEnd}
              />
            ))}
            {view.pending.map((item) => (
              <PendingItem
                key={item.clientId}
                item={item}
                onRetry={(id) => client?.retry(id)}
                onDiscard={(id) => client?.discard(id)}
              />
            ))}
          </ul>
          {view.loading && !root && <p className="py-4 text-sm text-slate-500">Loading thread…</p>}
        </div>
      </div>
      {error && (
        <p
          role="alert"
          className="mx-3 mb-2 rounded border border-red-200 bg-red-50 px-2 py-1 text-xs text-red-800"
        >
          {error}
        </p>
      )}
      <label className="flex items-center gap-2 px-3 pb-1 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={alsoToRoom}
          onChange={(event) => setAlsoToRoom(event.target.checked)}
          className="h-4 w-4 accent-indigo-600"
        />
        Also send to room
      </label>
      <Composer
        label="Reply"
        sendLabel="Send reply"
        placeholder="Reply in thread"
        onSend={send}
        disabled={root?.deleted === true}
        draftUserId={me.id}
        draftKey={`thread:${rootId}`}
        onEditLast={editLast}
        inputRef={inputRef}
        dropTarget={panel}
        members={members}
        meId={me.id}
      />
    </aside>
  );
}
