import { memo, useEffect, useLayoutEffect, useRef, useState } from "react";
import { isEmojiOnly } from "../client/emoji-only";
import { takeEditRequest } from "../client/hooks/useEditLast";
import { focusAfterDelete } from "../client/message-focus";
import { refusalOf } from "../client/room-actions";
import type { WireMember, WireMessage, WireUser } from "../protocol/frames";
import { Attachments } from "./Attachments";
import { Avatar } from "./Avatar";
import { BotBadge } from "./BotBadge";
import { DeleteMessageDialog } from "./DeleteMessageDialog";
import { LinkPreviewCard } from "./LinkPreviewCard";
import { type MenuAction, MessageActions } from "./MessageActions";
import { MessageEditor } from "./MessageEditor";
import { MessageText } from "./MessageText";
import { MessageTime } from "./MessageTime";
import { PinIcon } from "./PinIcon";
import { ProfileNameButton } from "./ProfileCard";
import { ReactionBar } from "./ReactionBar";
import { ReactionPicker } from "./ReactionPicker";

/** What a message can have done to it; wired to the chat client by the room page. */
export type MessageApi = {
  edit: (messageId: string, text: string) => Promise<void>;
  remove: (messageId: string) => Promise<void>;
  react: (messageId: string, emoji: string) => Promise<void>;
  /** Pins the message for the room (true) or unpins it. */
  pin: (messageId: string, pinned: boolean) => Promise<void>;
  /** Saves the message for oneself (true) or unsaves it. */
  save: (messageId: string, saved: boolean) => Promise<void>;
  /** Removes the link preview of one's own message. */
  removePreview: (messageId: string) => Promise<void>;
  /** The reader moderates the room: "Delete" is offered on others' messages too. */
  moderates?: boolean;
};

/** Opening a message's thread; the room page wires it to the thread panel. */
export type ThreadApi = { open: (message: WireMessage) => void };

/** "1 reply" or "N replies": the thread button's exact name. */
export function repliesLabel(count: number): string {
  return count === 1 ? "1 reply" : `${count} replies`;
}

type Props = {
  message: WireMessage;
  me: WireUser;
  members: readonly WireMember[];
  api: MessageApi;
  /** False while disconnected: changes sent then would be dropped. */
  canAct: boolean;
  highlighted: boolean;
  /** Threads: "Reply in thread" and the "N replies" button (not inside a thread). */
  thread?: ThreadApi;
  /** Changes (1, 2, ...) each time the page asks to edit this message (Up arrow in the composer). */
  editRequest?: number;
  /** An edit the page asked for ended (saved or cancelled): focus goes back there. */
  onEditEnd?: () => void;
  /** This user saved it (private to them). */
  saved?: boolean;
  /** False: it continues its author's group (no avatar or name; its time on hover and focus). */
  startsGroup?: boolean;
};

/** One message of the log: author, time, text (or editor), reactions and its actions menu. */
export const MessageItem = memo(function MessageItem({
  message,
  me,
  members,
  api,
  canAct,
  highlighted,
  thread,
  editRequest,
  onEditEnd,
  saved = false,
  startsGroup = true,
}: Props) {
  const item = useRef<HTMLLIElement>(null);
  const [editing, setEditingState] = useState(false);
  const requested = useRef(false);
  useEffect(() => {
    if (!editRequest || !takeEditRequest(editRequest)) return;
    requested.current = true;
    setEditingState(true);
  }, [editRequest]);
  const setEditing = (on: boolean) => {
    setEditingState(on);
    if (on) return;
    if (!requested.current) {
      // Started from the menu: focus goes back to the message's actions once the editor is gone.
      refocusActions.current = "now";
      return;
    }
    requested.current = false;
    onEditEnd?.();
  };
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const actionsBox = useRef<HTMLDivElement>(null);
  /**
   * Set when a pick closed the picker, an edit ended or a delete was
   * cancelled with the focus in it: the message's menu button gets it back.
   */
  const refocusActions = useRef<"now" | "frame" | null>(null);
  /** Set when a delete was confirmed: focus goes to the next message (or the composer). */
  const afterDelete = useRef<(() => void) | null>(null);
  useEffect(() => {
    // After the commit that removed the picker, editor or dialog (a modal
    // dialog keeps focus from going anywhere else until it is closed), and a
    // frame later than Modal's own return of focus.
    if (picking || editing || confirming) return;
    const refocus = refocusActions.current;
    const then = afterDelete.current;
    refocusActions.current = null;
    afterDelete.current = null;
    const focusActions = () => actionsBox.current?.querySelector("button")?.focus();
    if (refocus === "now") focusActions();
    if (refocus !== "frame" && !then) return;
    // After the dialog: a frame later, like Modal's own return of focus (a
    // box focused while the page is still inert takes no typing).
    const frame = requestAnimationFrame(() => (then ? then() : focusActions()));
    return () => cancelAnimationFrame(frame);
  }, [picking, editing, confirming]);
  /** A reaction toggled from its button: if that button went (the last one taken back), focus stays here. */
  const reacted = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the reactions change
  useLayoutEffect(() => {
    if (!reacted.current) return;
    reacted.current = false;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    actionsBox.current?.querySelector("button")?.focus();
  }, [message.reactions]);
  /** Why the last change to this message was refused, shown under it until dismissed. */
  const [refusal, setRefusal] = useState<string | null>(null);
  const own = message.author.id === me.id;
  const attempt = (what: string, change: Promise<void>) => {
    setRefusal(null);
    change.catch((error) => setRefusal(`${what} ${refusalOf(error)}`));
  };

  const actions: MenuAction[] = [];
  if (own && !message.deleted) {
    actions.push({ label: "Edit", run: () => setEditing(true) });
    actions.push({ label: "Delete", run: () => setConfirming(true) });
  } else if (api.moderates && !message.deleted) {
    actions.push({ label: "Delete", run: () => setConfirming(true) });
  }
  if (!message.deleted) actions.push({ label: "React", run: () => setPicking(true) });
  // Threads are one level deep: a reply has no thread of its own.
  const canThread = thread !== undefined && message.threadRootId === undefined;
  if (canThread && !message.deleted) {
    actions.push({ label: "Reply in thread", run: () => thread.open(message) });
  }
  const pinned = message.pinnedAt !== null;
  if (!message.deleted) {
    actions.push({
      label: pinned ? "Unpin" : "Pin",
      run: () => attempt(pinned ? "Not unpinned." : "Not pinned.", api.pin(message.id, !pinned)),
    });
  }
  // Unsaving stays possible on a deleted message: it only tidies one's own list.
  if (!message.deleted || saved) {
    actions.push({
      label: saved ? "Unsave" : "Save",
      run: () => attempt(saved ? "Not unsaved." : "Not saved.", api.save(message.id, !saved)),
    });
  }
  const replyCount = message.thread?.replyCount ?? 0;
  const badges = (
    <>
      {message.editedAt && !message.deleted && (
        <span className="text-xs text-slate-500">(edited)</span>
      )}
      {pinned && !message.deleted && (
        <span className="inline-flex items-center gap-1 rounded bg-amber-100 px-1.5 text-xs text-slate-700">
          <PinIcon className="h-3 w-3" />
          Pinned
        </span>
      )}
    </>
  );
  const hasBadges = (message.editedAt !== null || pinned) && !message.deleted;

  return (
    <li
      ref={item}
      data-seq={message.seq}
      data-group-start={startsGroup || undefined}
      className={`group relative -mx-2 flex gap-2 rounded-lg px-2 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500 ${
        startsGroup ? "mt-2 pt-1 pb-0.5 first:mt-0" : "py-0.5"
      } ${highlighted ? "bg-amber-50 ring-2 ring-amber-300" : ""}`}
    >
      {/* The gutter: the avatar on a group's first message, the time (on hover and focus) on the rest. */}
      <div className="w-12 shrink-0">
        {startsGroup ? (
          <Avatar user={message.author} />
        ) : (
          <MessageTime
            iso={message.createdAt}
            className="block pt-0.5 text-[11px] leading-5 whitespace-nowrap opacity-0 group-focus-within:opacity-100 group-hover:opacity-100"
          />
        )}
      </div>
      <div className="min-w-0 flex-1">
        {startsGroup && (
          <div className="flex flex-wrap items-baseline gap-x-2">
            {message.via ? (
              // An incoming webhook's post: the sender's name (its username
              // override, else the bot's), then the webhook. icon_url is kept
              // but never loaded (the CSP allows no outside images).
              <span className="text-slate-900">
                {message.via.username ? (
                  <span className="font-semibold">{message.via.username}</span>
                ) : (
                  <ProfileNameButton
                    user={message.author}
                    meId={me.id}
                    className="font-semibold text-slate-900"
                  />
                )}{" "}
                <span className="text-sm text-slate-700">via {message.via.webhook}</span>
              </span>
            ) : (
              <ProfileNameButton
                user={message.author}
                meId={me.id}
                className="font-semibold text-slate-900"
              />
            )}
            {message.author.bot && <BotBadge />}
            <MessageTime iso={message.createdAt} />
            {badges}
          </div>
        )}
        {message.deleted ? (
          <p className="text-sm text-slate-500 italic">
            {message.deletedBy === "moderator"
              ? "Message deleted by a moderator"
              : "Message deleted"}
          </p>
        ) : editing ? (
          <MessageEditor
            initial={message.text}
            onCancel={() => setEditing(false)}
            onSave={(text) => {
              attempt("Not edited.", api.edit(message.id, text));
              setEditing(false);
            }}
          />
        ) : (
          // A message of files alone has no text; a few emoji alone are shown large.
          message.text !== "" &&
          (isEmojiOnly(message.text) ? (
            <p data-emoji-only="" className="text-4xl leading-tight">
              {message.text}
            </p>
          ) : (
            <MessageText
              text={message.text}
              me={me.handle ?? null}
              members={members}
              author={message.author.name}
            />
          ))
        )}
        {!startsGroup && hasBadges && <div className="flex items-baseline gap-2">{badges}</div>}
        {!message.deleted && message.files && <Attachments files={message.files} />}
        {!message.deleted && message.preview && (
          <LinkPreviewCard
            preview={message.preview}
            onRemove={
              own ? () => attempt("Preview not removed.", api.removePreview(message.id)) : undefined
            }
            disabled={!canAct}
          />
        )}
        {!message.deleted && (
          <ReactionBar
            reactions={message.reactions}
            meId={me.id}
            members={members}
            disabled={!canAct}
            onToggle={(emoji) => {
              reacted.current = true;
              attempt("Reaction not saved.", api.react(message.id, emoji));
            }}
          />
        )}
        {canThread && replyCount > 0 && (
          <button
            type="button"
            onClick={() => thread.open(message)}
            className="mt-1 rounded px-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            {repliesLabel(replyCount)}
          </button>
        )}
        {message.threadRootId !== undefined && message.alsoInRoom && thread && (
          <p className="text-xs text-slate-500">Replied in a thread</p>
        )}
        {picking && (
          <ReactionPicker
            onPick={(emoji) => attempt("Reaction not saved.", api.react(message.id, emoji))}
            onClose={(picked) => {
              refocusActions.current = picked ? "now" : null;
              setPicking(false);
            }}
          />
        )}
        {confirming && (
          <DeleteMessageDialog
            onCancel={() => {
              refocusActions.current = "frame";
              setConfirming(false);
            }}
            onConfirm={() => {
              if (item.current) afterDelete.current = focusAfterDelete(item.current);
              setConfirming(false);
              attempt("Not deleted.", api.remove(message.id));
            }}
          />
        )}
        {refusal && (
          <p
            role="alert"
            className="mt-1 flex items-center gap-2 rounded border border-red-200 bg-red-50 px-2 py-1 text-xs text-red-800"
          >
            <span>{refusal}</span>
            <button
              type="button"
              onClick={() => setRefusal(null)}
              className="rounded px-1.5 py-0.5 font-medium underline hover:bg-red-100"
            >
              Dismiss
            </button>
          </p>
        )}
      </div>
      {actions.length > 0 && !editing && (
        // Shown on hover and focus for pointer users; always there for touch and assistive tech.
        <div
          ref={actionsBox}
          className="shrink-0 self-start opacity-100 transition-opacity md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100 md:has-[[aria-expanded=true]]:opacity-100"
        >
          <MessageActions actions={actions} disabled={!canAct} />
        </div>
      )}
    </li>
  );
});
