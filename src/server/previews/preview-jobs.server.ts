/**
 * Link previews run off the hot path: a send is acked and published before
 * its preview is asked for, and the preview arrives later as `updated`.
 * At most CONCURRENCY fetches at a time; a small queue behind them, and a
 * job that finds it full is dropped (a burst of links must not pile up
 * memory or outbound connections). A failure is logged, never thrown: the
 * message stands without a preview.
 */
import type { PreviewEffect } from "../../core/actions/shared";
import type { BlobStore, MessageStore } from "../../ports";
import type { WireMessage } from "../../protocol/frames";
import type { Logger } from "../log.server";
import type { Resolver } from "./guarded-fetch.server";
import { type Job, type Made, type MakeDeps, makePreview } from "./make-preview.server";

export const CONCURRENCY = 4;
export const QUEUE_LIMIT = 64;

export type PreviewJobsDeps = {
  /** config.linkPreviews.enabled: false and nothing is ever fetched. */
  enabled: boolean;
  allowHosts: readonly string[];
  messages: Pick<MessageStore, "attachPreview">;
  blobs: BlobStore;
  log: Logger;
  /** Tells the room (every instance) the message changed. */
  publish: (roomId: string, message: WireMessage) => void;
  resolve?: Resolver;
  timeoutMs?: number;
  concurrency?: number;
  queueLimit?: number;
  /** What makes one preview (makePreview; unit tests count and hold jobs with their own). */
  make?: (job: Job, deps: MakeDeps) => Promise<Made>;
};

export type PreviewJobs = {
  /** Performs a preview effect: queues the `make` (or drops it when the queue is full). */
  take(effect: PreviewEffect): void;
  /** Resolves once nothing is queued or running (shutdown, tests). */
  idle(): Promise<void>;
};

export function createPreviewJobs(deps: PreviewJobsDeps): PreviewJobs {
  const concurrency = deps.concurrency ?? CONCURRENCY;
  const queueLimit = deps.queueLimit ?? QUEUE_LIMIT;
  const queue: Job[] = [];
  let running = 0;
  let waiters: (() => void)[] = [];
  const guard = {
    allowHosts: deps.allowHosts,
    ...(deps.resolve && { resolve: deps.resolve }),
    ...(deps.timeoutMs !== undefined && { timeoutMs: deps.timeoutMs }),
  };

  const settle = () => {
    if (running > 0 || queue.length > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  const run = async (job: Job) => {
    const host = hostOf(job.url);
    try {
      const made = await (deps.make ?? makePreview)(job, {
        messages: deps.messages,
        blobs: deps.blobs,
        guard,
      });
      if (made.ok) {
        deps.publish(job.roomId, made.message);
        if (made.imageNote)
          deps.log.info("link preview without its image", { host, reason: made.imageNote });
      } else {
        // The host, not the URL: a URL is part of what someone wrote. Info,
        // not warn: most are ordinary (no title, a 404, a refused address).
        deps.log.info("link preview not made", { host, reason: made.reason });
      }
    } catch (error) {
      deps.log.error("link preview failed", { host, error: String(error) });
    }
  };

  const pump = () => {
    while (running < concurrency && queue.length > 0) {
      const job = queue.shift() as Job;
      running++;
      void run(job).finally(() => {
        running--;
        pump();
        settle();
      });
    }
  };

  return {
    take(effect) {
      if (!deps.enabled) {
        deps.log.debug("link preview skipped: PARLEY_LINK_PREVIEWS=off", {
          host: hostOf(effect.url),
        });
        return;
      }
      if (queue.length >= queueLimit) {
        deps.log.warn("link preview dropped: the queue is full", { host: hostOf(effect.url) });
        return;
      }
      const { roomId, messageId, authorId, url } = effect;
      queue.push({ roomId, messageId, authorId, url });
      pump();
    },
    idle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(not a URL)";
  }
}
