import { createFileRoute, redirect } from "@tanstack/react-router";
import { messageSnippet } from "../client/message-snippet";
import { repliesLabel } from "../components/MessageItem";
import { MessageTime } from "../components/MessageTime";
import { getSessionFn } from "../server/fns/session";
import { followedThreadsFn } from "../server/fns/threads";

// The followed-threads page ("Threads" in the Rooms navigation).
export const Route = createFileRoute("/threads")({
  beforeLoad: async ({ location }) => {
    const user = await getSessionFn();
    if (!user) throw redirect({ to: "/sign-in", search: { next: location.href } });
    return { user };
  },
  loader: () => followedThreadsFn(),
  head: () => ({ meta: [{ title: "Threads · Parley" }] }),
  component: ThreadsPage,
});

function ThreadsPage() {
  const threads = Route.useLoaderData();
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-4 p-6">
      <div className="flex items-baseline justify-between">
        <h1 className="text-xl font-semibold text-slate-900">Threads</h1>
        <a href="/r/general" className="text-sm text-indigo-700 underline">
          Back to general
        </a>
      </div>
      {threads.length === 0 ? (
        <p className="text-sm text-slate-600">
          No threads yet. Reply to a message, or follow a thread, and it shows here.
        </p>
      ) : (
        <ul className="flex flex-col gap-2">
          {threads.map(({ state, root, room }) => (
            <li key={root.id} className="rounded-lg border border-slate-200 p-3">
              <div className="flex items-baseline gap-2 text-sm text-slate-600">
                <span className="font-medium text-slate-800">
                  {room.kind === "dm" ? room.name : `#${room.name}`}
                </span>
                <span>{root.author.name}</span>
                {root.thread?.lastReplyAt && <MessageTime iso={root.thread.lastReplyAt} />}
              </div>
              <p className="mt-1 line-clamp-2 text-slate-900">
                {root.deleted ? "Message deleted" : root.text || messageSnippet(root)}
              </p>
              <div className="mt-1 flex gap-3 text-sm">
                <a
                  href={`/r/${room.slug}?m=${root.seq}&t=${encodeURIComponent(root.id)}`}
                  className="font-medium text-indigo-700 underline"
                >
                  {`Open thread: ${repliesLabel(root.thread?.replyCount ?? 0)}`}
                </a>
                {state.unread > 0 && (
                  <span className="font-semibold text-indigo-700">{state.unread} unread</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
