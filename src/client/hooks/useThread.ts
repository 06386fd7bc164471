import type { ChatClient } from "../chat-client";
import type { PendingSend } from "../outbox";
import type { ThreadView } from "../threads";
import { useChatSelector } from "./chat-context";

const closed: ThreadView & { pending: PendingSend[] } = {
  root: undefined,
  replies: [],
  loading: true,
  following: false,
  unread: 0,
  pending: [],
};

/** An open thread's live view (root, replies, pending replies, follow state). */
export function useThread(rootId: string): ThreadView & { pending: PendingSend[] } {
  return useChatSelector((c: ChatClient) => c.threadView(rootId), closed);
}

const none = { list: [], unread: 0 };

/** The followed threads and their unread total (the "Threads" link). */
export function useFollowedThreads(): ReturnType<ChatClient["followedThreads"]> {
  return useChatSelector((c) => c.followedThreads(), none);
}
