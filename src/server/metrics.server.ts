import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Parley's Prometheus metrics on prom-client, in a registry of their own per
 * runtime (never the library's global one, so several runtimes composed in
 * one process, as tests do, keep separate figures), plus prom-client's
 * default process, heap, GC and event-loop metrics. Call sites use
 * prom-client's own API: `metrics.framesOut.inc({ type }, count)`,
 * `metrics.fanout.observe(seconds)`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics = {
    connections: new Gauge({
      name: "parley_open_connections",
      help: "Open websocket connections.",
      registers,
    }),
    upgradesRefused: new Counter({
      name: "parley_upgrades_refused_total",
      help: "Websocket upgrades refused, by reason.",
      labelNames: ["reason"] as const,
      registers,
    }),
    framesIn: new Counter({
      name: "parley_frames_in_total",
      help: "Client frames received, by type.",
      labelNames: ["type"] as const,
      registers,
    }),
    framesOut: new Counter({
      name: "parley_frames_out_total",
      help: "Server frames written to sockets, by type.",
      labelNames: ["type"] as const,
      registers,
    }),
    acks: new Counter({
      name: "parley_acks_total",
      help: "Sends acknowledged after commit.",
      registers,
    }),
    rateLimited: new Counter({
      name: "parley_rate_limited_total",
      help: "Frames refused by the rate limit.",
      registers,
    }),
    slowConsumers: new Counter({
      name: "parley_slow_consumer_closes_total",
      help: "Sockets closed as slow consumers.",
      registers,
    }),
    replays: new Counter({
      name: "parley_resume_replays_total",
      help: "Resumes and gap fetches served from the database.",
      registers,
    }),
    replayed: new Counter({
      name: "parley_replayed_messages_total",
      help: "Messages sent in replays and gap fetches.",
      registers,
    }),
    fanout: new Histogram({
      name: "parley_fanout_seconds",
      help: "Time to write one room event to every subscribed socket.",
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
      registers,
    }),
    /** The content type of `render()`'s text (Prometheus text format 0.0.4). */
    contentType: registry.contentType,
    /** Every metric of this runtime in Prometheus text format. */
    render: (): Promise<string> => registry.metrics(),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
