/**
 * A small Prometheus registry (text exposition format 0.0.4): counters with
 * labels, gauges, and one histogram. Enough for Parley's own figures without
 * a client library.
 */
type Labels = Record<string, string>;

const key = (labels: Labels) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`)
    .join(",");

class Counter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly kind: "counter" | "gauge" = "counter",
  ) {}
  inc(labels: Labels = {}, by = 1) {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.kind}`];
    if (this.values.size === 0 && this.kind === "gauge") lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ""} ${v}`);
    return lines.join("\n");
  }
}

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number) {
    this.sum += value;
    this.count++;
    this.buckets.forEach((bound, i) => {
      if (value <= bound) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((bound, i) => {
      lines.push(`${this.name}_bucket{le="${bound}"} ${this.counts[i]}`);
    });
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`);
    lines.push(`${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join("\n");
  }
}

/** Parley's metrics; one registry per process. */
export function createMetrics() {
  const metrics = {
    connections: new Counter("parley_open_connections", "Open websocket connections.", "gauge"),
    upgradesRefused: new Counter(
      "parley_upgrades_refused_total",
      "Websocket upgrades refused, by reason.",
    ),
    framesIn: new Counter("parley_frames_in_total", "Client frames received, by type."),
    framesOut: new Counter("parley_frames_out_total", "Server frames written to sockets, by type."),
    acks: new Counter("parley_acks_total", "Sends acknowledged after commit."),
    rateLimited: new Counter("parley_rate_limited_total", "Frames refused by the rate limit."),
    slowConsumers: new Counter(
      "parley_slow_consumer_closes_total",
      "Sockets closed as slow consumers.",
    ),
    replays: new Counter(
      "parley_resume_replays_total",
      "Resumes and gap fetches served from the database.",
    ),
    replayed: new Counter(
      "parley_replayed_messages_total",
      "Messages sent in replays and gap fetches.",
    ),
    fanout: new Histogram(
      "parley_fanout_seconds",
      "Time to write one room event to every subscribed socket.",
      [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
    ),
    render(): string {
      const all = [
        metrics.connections,
        metrics.upgradesRefused,
        metrics.framesIn,
        metrics.framesOut,
        metrics.acks,
        metrics.rateLimited,
        metrics.slowConsumers,
        metrics.replays,
        metrics.replayed,
        metrics.fanout,
      ];
      return `${all.map((m) => m.render()).join("\n")}\n`;
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
