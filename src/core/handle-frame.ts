import type { ActionFrame, WireMessage, WireUser } from "../protocol/frames";
import { remove } from "./actions/delete";
import { edit } from "./actions/edit";
import { fetch } from "./actions/fetch";
import { invite } from "./actions/invite";
import { leave } from "./actions/leave";
import { membersPage } from "./actions/members";
import { moderate } from "./actions/moderate";
import { notifyPrefs, notifySettings } from "./actions/notify-prefs";
import { pin } from "./actions/pin";
import { react } from "./actions/react";
import { read } from "./actions/read";
import { removePreview } from "./actions/remove-preview";
import { roomSettings } from "./actions/room-settings";
import { save } from "./actions/save";
import { send } from "./actions/send";
import type { Effect, FrameDeps } from "./actions/shared";
import { subscribe } from "./actions/subscribe";
import { follow, thread, threadRead } from "./actions/thread";
import { typing } from "./actions/typing";

export type { Effect, FrameDeps } from "./actions/shared";

/**
 * What the server knows of a frame's origin that the frame itself may not
 * say: an incoming webhook's post carries `via` (issue 15). Only act()'s
 * callers pass it; the socket never does, and the wire decoder has no
 * such field, so no client can make a message look like a webhook's.
 */
export type FrameOrigin = { via?: WireMessage["via"] };

/**
 * Applies one decoded client frame for `user`. Each action lives in
 * core/actions/<action>.ts and runs the same three steps: check (the
 * core/policy rule on facts the stores return), do (the store call), then
 * the events, as Effects the edge performs after the commit.
 */
export function handleFrame(
  frame: ActionFrame,
  user: WireUser,
  deps: FrameDeps,
  origin?: FrameOrigin,
): Promise<Effect[]> {
  switch (frame.type) {
    case "send":
      return send(frame, user, deps, origin?.via);
    case "subscribe":
      return subscribe(frame, user, deps);
    case "fetch":
      return fetch(frame, user, deps);
    case "typing":
      return typing(frame, user, deps);
    case "read":
      return read(frame, user, deps);
    case "edit":
      return edit(frame, user, deps);
    case "delete":
      return remove(frame, user, deps);
    case "react":
      return react(frame, user, deps);
    case "invite":
      return invite(frame, user, deps);
    case "leave":
      return leave(frame, user, deps);
    case "thread":
      return thread(frame, user, deps);
    case "thread_read":
      return threadRead(frame, user, deps);
    case "follow":
      return follow(frame, user, deps);
    case "pin":
      return pin(frame, user, deps);
    case "save":
      return save(frame, user, deps);
    case "remove_preview":
      return removePreview(frame, user, deps);
    case "members":
      return membersPage(frame, user, deps);
    case "notify_prefs":
      return notifyPrefs(frame, user, deps);
    case "notify_settings":
      return notifySettings(frame, user, deps);
    case "moderate":
      return moderate(frame, user, deps);
    case "room_settings":
      return roomSettings(frame, user, deps);
  }
}
