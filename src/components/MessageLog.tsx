import { useLayoutEffect, useRef } from "react";
import type { PendingSend } from "../client/outbox";
import type { WireMessage } from "../protocol/frames";
import { MessageText } from "./MessageText";

type Props = {
  messages: WireMessage[];
  pending: PendingSend[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/**
 * The conversation (role log, named "Messages"). Sticks to the bottom while
 * the reader is there; when older pages load above, keeps the view steady.
 */
export function MessageLog({
  messages,
  pending,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  onRetry,
}: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const firstSeq = useRef<number | undefined>(messages[0]?.seq);
  const heightBefore = useRef(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const prepended = messages[0]?.seq !== firstSeq.current && firstSeq.current !== undefined;
    if (prepended && !atBottom.current) {
      el.scrollTop += el.scrollHeight - heightBefore.current;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    firstSeq.current = messages[0]?.seq;
    heightBefore.current = el.scrollHeight;
  });

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    heightBefore.current = el.scrollHeight;
    if (el.scrollTop < 80 && hasOlder && !loadingOlder) onLoadOlder();
  }

  return (
    <div ref={scroller} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto px-4 py-3">
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
      <ul role="log" aria-label="Messages" aria-live="polite" className="flex flex-col gap-3">
        {messages.map((message) => (
          <li key={message.seq} data-seq={message.seq} className="flex flex-col">
            <div className="flex items-baseline gap-2">
              <span className="font-semibold text-slate-900">{message.author.name}</span>
              <time dateTime={message.createdAt} className="text-xs text-slate-500">
                {timeFormat.format(new Date(message.createdAt))}
              </time>
            </div>
            <MessageText text={message.text} />
          </li>
        ))}
        {pending.map((item) => (
          <li key={item.clientId} className="flex flex-col opacity-70">
            <div className="flex items-baseline gap-2">
              <span className="font-semibold text-slate-900">You</span>
              {item.failed ? (
                <button
                  type="button"
                  onClick={() => onRetry(item.clientId)}
                  className="text-xs text-red-600 underline"
                  title={item.failed}
                >
                  Failed, retry
                </button>
              ) : (
                <span className="text-xs text-slate-500">Sending…</span>
              )}
            </div>
            <MessageText text={item.text} />
          </li>
        ))}
      </ul>
    </div>
  );
}
