// The IPC messages between the harness (driver.ts) and a worker (worker.ts).
import type { HistogramData } from "../lib/stats.ts";

/** Which client: the lite WebSocket client, the `ws` package, socket.io-client, or XMPP (over lite). */
export type Kind = "lite" | "ws" | "io" | "xmpp";

/**
 * One client connection: Parley's carry a session cookie, baselines name
 * their rooms, ejabberd's log in with an XMPP account and join the rooms.
 */
export type ConnSpec = {
  cookie?: string;
  slugs: string[];
  xmpp?: { user: string; password: string; domain: string; muc: string };
};

export type Request =
  | { op: "open"; kind: Kind; base: string; conns: ConnSpec[]; concurrency: number }
  | {
      op: "run";
      step: number;
      seconds: number;
      /** Stop sending once a delivery or ack of this step is this late. */
      abortMs: number;
      perSecond: number;
      textChars: number;
      /** Connection indexes (within this worker) and the room each sends to. */
      senders: { conn: number; slug: string }[];
    }
  /** Deliveries and acks of a step so far (the harness waits for all of them). */
  | { op: "count"; step: number }
  /** Frames received in all, of any step or kind. */
  | { op: "frames" }
  /** A step's histograms, after which the worker forgets the step. */
  | { op: "collect"; step: number }
  | {
      op: "blast";
      step: number;
      conn: number;
      slug: string;
      count: number;
      window: number;
      textChars: number;
    }
  | { op: "replay"; conn: number; slug: string; afterSeq: number }
  | { op: "close" };

export type Reply =
  | {
      op: "open";
      opened: number;
      failures: string[];
      ms: number;
      /** XMPP logins opened anew after the server left the first <open/> unanswered. */
      retried: number;
    }
  | { op: "run"; sent: number; aborted: boolean }
  | { op: "frames"; count: number }
  | { op: "count"; delivered: number; acked: number }
  | {
      op: "collect";
      latency: HistogramData;
      ack: HistogramData;
      /** From the step's start to its last ack. */
      ackSpanMs: number;
      errors: string[];
    }
  | { op: "blast"; ms: number; ack: HistogramData }
  | { op: "replay"; ms: number; messages: number; frames: number }
  | { op: "close" };
