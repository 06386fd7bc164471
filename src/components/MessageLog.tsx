import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { composerFocusPending } from "../client/arrival-focus";
import { useLogClock } from "../client/hooks/useLogClock";
import { focusMessage } from "../client/message-focus";
import type { PendingSend } from "../client/outbox";
import { isThreadOnly } from "../client/thread-unread";
import type { WireMember, WireMessage, WireUser } from "../protocol/frames";
import { GapLoader } from "./GapLoader";
import { logLists } from "./log-lists";
import { type MessageApi, MessageItem, type ThreadApi } from "./MessageItem";
import { PendingItem } from "./PendingItem";

type Props = {
  messages: WireMessage[];
  pending: PendingSend[];
  me: WireUser;
  members: readonly WireMember[];
  api: MessageApi;
  canAct: boolean;
  /** Ids of the messages this user saved. */
  savedIds?: ReadonlySet<string>;
  /** The seq the "New messages" divider goes before, if any. */
  dividerSeq: number | null;
  /** The first unread seq when the room opened (may be older than the loaded page). */
  firstUnreadSeq?: number | null;
  /** A message to scroll to and highlight (search result). */
  focusSeq?: number;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onLoadGap: (beforeSeq: number) => Promise<void>;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** Tells the page whether the newest message is in view (read markers). */
  onAtBottomChange: (atBottom: boolean) => void;
  /** Opening threads ("Reply in thread", "N replies"); absent where there are none. */
  thread?: ThreadApi;
  /** The message the page asked to edit (Up arrow), with a count that changes per ask. */
  editRequest?: { messageId: string; count: number } | null;
  /** That edit ended. */
  onEditEnd?: () => void;
};

/**
 * The conversation (role log, named "Messages"). Sticks to the bottom while
 * the reader is there; when older pages load above, keeps the view steady;
 * a focused message (search result) is scrolled into the middle once.
 */
export function MessageLog(props: Props) {
  const { messages, pending, focusSeq, hasOlder, loadingOlder, onLoadOlder } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(focusSeq === undefined);
  const reported = useRef<boolean | null>(null);
  const firstSeq = useRef<number | undefined>(messages[0]?.seq);
  const heightBefore = useRef(0);
  const pendingBefore = useRef(pending.length);
  const focused = useRef<number | undefined>(undefined);
  // The jump buttons: "Jump to latest" while scrolled up, "Jump to first
  // unread" while the "New messages" divider is out of view.
  const [scrolledUp, setScrolledUp] = useState(false);
  const [dividerHidden, setDividerHidden] = useState(false);
  const clock = useLogClock();
  // The newest seq the reader had seen when they scrolled up: what came after is "new".
  const [seenSeq, setSeenSeq] = useState<number | null>(null);
  const newestSeq = messages.at(-1)?.seq ?? 0;
  const newCount =
    scrolledUp && seenSeq !== null
      ? messages.filter((m) => m.seq > seenSeq && !isThreadOnly(m)).length
      : 0;

  function report() {
    if (reported.current === atBottom.current) return;
    reported.current = atBottom.current;
    setScrolledUp(!atBottom.current);
    setSeenSeq(atBottom.current ? null : newestSeq);
    props.onAtBottomChange(atBottom.current);
  }

  // Watches the divider against the scroller (either way out of view counts).
  useEffect(() => {
    const root = scroller.current;
    const divider = props.dividerSeq === null ? null : root?.querySelector("[data-new-messages]");
    if (!root || !divider || typeof IntersectionObserver === "undefined") {
      setDividerHidden(false);
      return;
    }
    const observer = new IntersectionObserver(
      ([entry]) => setDividerHidden(entry ? !entry.isIntersecting : false),
      { root },
    );
    observer.observe(divider);
    return () => observer.disconnect();
  }, [props.dividerSeq]);

  // "Jump to first unread" when that message is older than the loaded
  // page: load older pages until it is there, then scroll to it.
  const [seeking, setSeeking] = useState(false);
  const unreadNotLoaded =
    hasOlder &&
    props.firstUnreadSeq != null &&
    (messages[0]?.seq ?? Number.POSITIVE_INFINITY) > props.firstUnreadSeq;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-checked as pages arrive
  useEffect(() => {
    if (!seeking || loadingOlder) return;
    if (unreadNotLoaded) onLoadOlder();
    else {
      setSeeking(false);
      scrollToDivider();
    }
  }, [seeking, loadingOlder, unreadNotLoaded, messages[0]?.seq]);

  function scrollToDivider() {
    const el = scroller.current;
    const divider = el?.querySelector<HTMLElement>("[data-new-messages]");
    if (!el || !divider) return;
    divider.scrollIntoView({ block: "start" });
    onScroll();
  }

  function jumpToFirstUnread() {
    if (unreadNotLoaded) setSeeking(true);
    else scrollToDivider();
  }

  function jumpToLatest() {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    onScroll();
  }

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const target =
      focusSeq !== undefined && focused.current !== focusSeq
        ? el.querySelector<HTMLElement>(`[data-seq="${focusSeq}"]`)
        : null;
    const prepended = messages[0]?.seq !== firstSeq.current && firstSeq.current !== undefined;
    // Sending something means the reader wants to see it go out.
    if (pending.length > pendingBefore.current) atBottom.current = true;
    if (target) {
      focused.current = focusSeq;
      target.scrollIntoView({ block: "center" });
      // The hit takes focus too, so the keyboard and screen readers are there
      // (not on <body>); right after sign-in the composer has it (a deep link).
      if (!composerFocusPending()) focusMessage(target);
      atBottom.current = false;
    } else if (prepended && !atBottom.current) {
      el.scrollTop += el.scrollHeight - heightBefore.current;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    firstSeq.current = messages[0]?.seq;
    heightBefore.current = el.scrollHeight;
    pendingBefore.current = pending.length;
    report();
  });

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    heightBefore.current = el.scrollHeight;
    report();
    if (el.scrollTop < 80 && hasOlder && !loadingOlder) onLoadOlder();
  }

  return (
    <div ref={scroller} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto px-4 py-3">
      {/* Zero-height sticky rows: the jump buttons float over the log without moving it. */}
      <div className="pointer-events-none sticky top-1 z-10 flex h-0 items-start justify-center">
        {dividerHidden && (
          <button
            type="button"
            onClick={jumpToFirstUnread}
            className="pointer-events-auto rounded-full bg-indigo-600 px-3 py-1 text-xs font-medium text-white shadow-md hover:bg-indigo-700"
          >
            Jump to first unread
          </button>
        )}
      </div>
      {hasOlder && (
        <div className="py-2 text-center">
          <button
            type="button"
            onClick={onLoadOlder}
            disabled={loadingOlder}
            className="text-sm text-indigo-600 hover:underline disabled:text-slate-400"
          >
            {loadingOlder ? "Loading…" : "Load older messages"}
          </button>
        </div>
      )}
      {!hasOlder && messages.length > 0 && (
        <p className="py-3 text-center text-xs text-slate-500">This is the start of the room.</p>
      )}
      <div role="log" aria-label="Messages" className="flex flex-col gap-1">
        {logLists(
          messages,
          (message, place) => (
            <MessageItem
              key={message.seq}
              startsGroup={place.startsGroup}
              message={message}
              me={props.me}
              members={props.members}
              api={props.api}
              canAct={props.canAct}
              highlighted={place.focused}
              thread={props.thread}
              editRequest={
                props.editRequest?.messageId === message.id ? props.editRequest.count : undefined
              }
              onEditEnd={props.onEditEnd}
              saved={props.savedIds?.has(message.id) ?? false}
            />
          ),
          pending.map((item) => (
            <PendingItem
              key={item.clientId}
              item={item}
              onRetry={props.onRetry}
              onDiscard={props.onDiscard}
            />
          )),
          {
            dividerSeq: props.dividerSeq,
            focusSeq,
            zone: clock.zone,
            now: clock.now,
            gap: (missing, seq) => (
              <GapLoader key={`gap-${seq}`} count={missing} onLoad={() => props.onLoadGap(seq)} />
            ),
          },
        )}
        {messages.length === 0 && pending.length === 0 && (
          <p className="py-10 text-center text-sm text-slate-500">No messages yet. Say hello!</p>
        )}
      </div>
      <div className="pointer-events-none sticky bottom-1 z-10 flex h-0 items-end justify-end">
        {scrolledUp && (
          // The bar: how many arrived while scrolled up, and the button (its name stays "Jump to latest").
          <div
            className={`pointer-events-auto flex items-center gap-2 rounded-full bg-slate-800 py-1 pr-1 text-xs font-medium text-white shadow-md ${
              newCount > 0 ? "pl-3" : "pl-1"
            }`}
          >
            {newCount > 0 && (
              <span data-new-count="">
                {newCount === 1 ? "1 new message" : `${newCount} new messages`}
              </span>
            )}
            <button
              type="button"
              onClick={jumpToLatest}
              className={`rounded-full px-2 py-0.5 hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-white ${
                newCount > 0 ? "underline" : ""
              }`}
            >
              Jump to latest
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
