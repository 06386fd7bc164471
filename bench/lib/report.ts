// Turns a run's results into the markdown tables of bench/results/latest.md
// (and the README). Every figure of a system also shows its ratio to raw
// `ws` from the same run, since absolute numbers move with the machine.
import type { FanoutResult } from "../scenarios/fanout.ts";
import type { LargeRoomResult } from "../scenarios/large-room.ts";
import type { StepResult } from "../scenarios/measure.ts";
import type { PersistResult, ResumeResult } from "../scenarios/parley-only.ts";
import type { RelayResult } from "../scenarios/relay.ts";
import type { RestResult } from "../scenarios/rest.ts";
import type { IdleResult, RoomsResult } from "../scenarios/rooms.ts";
import type { StormResult } from "../scenarios/storm.ts";
import type { UploadResult } from "../scenarios/upload.ts";
import type { Config } from "./config.ts";

export type Results = {
  date: string;
  machine: { node: string; cpus: number; loadAverage: number[] };
  config: Config;
  prepare?: { signUps: number; seeded: number; ms: number };
  /** ejabberd's users, registered through its HTTP API before the scenarios. */
  prepareEjabberd?: { users: number; registerMs: number };
  fanout: Record<string, FanoutResult>;
  rooms: Record<string, RoomsResult>;
  idle: Record<string, IdleResult>;
  persist?: PersistResult;
  /** The same load on other stores and systems: Parley on PostgreSQL, ejabberd (MAM). */
  persistPeers?: Record<string, PersistResult>;
  resume?: ResumeResult;
  /** Parley's POST /api/files against a bare server writing the body to disk. */
  upload?: { parley: UploadResult; floor: UploadResult };
  /** Reconnect storm (bench/scenarios/storm.ts). */
  storm?: StormResult;
  /** Large room with churn (bench/scenarios/large-room.ts). */
  largeRoom?: LargeRoomResult;
  /** Two instances with Redis against one, on PostgreSQL. */
  relay?: RelayResult;
  /** POST /api/v1/rooms/{room}/messages against the socket's send, same rate (issue 15). */
  rest?: RestResult;
  /** Parts left out because a service did not answer, with the reason. */
  skipped?: Record<string, string>;
  failures: Record<string, string>;
};

const fmt = (v: number | undefined, digits = 1) =>
  v === undefined || !Number.isFinite(v)
    ? "–"
    : Math.abs(v) >= 1000
      ? Math.round(v).toLocaleString("en-US")
      : v.toFixed(digits);

/** `value (×ratio)` against the same figure of raw ws, when there is one. */
const withRatio = (v: number | undefined, ws: number | undefined, digits = 1) => {
  if (v === undefined || !Number.isFinite(v)) return "–";
  if (ws === undefined || !Number.isFinite(ws) || ws === 0) return fmt(v, digits);
  return `${fmt(v, digits)} (×${(v / ws).toFixed(2)})`;
};

const table = (head: string[], rows: string[][]) =>
  [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const stepCells = (s: StepResult, ws: StepResult | undefined) => [
  withRatio(s.deliveriesPerSec, ws?.deliveriesPerSec, 0),
  withRatio(s.p50, ws?.p50, 2),
  withRatio(s.p99, ws?.p99, 2),
  withRatio(s.max, ws?.max, 1),
  withRatio(s.cpuUsPerDelivery, ws?.cpuUsPerDelivery, 2),
  withRatio(s.userUsPerDelivery, ws?.userUsPerDelivery, 2),
  withRatio(s.rssMiB, ws?.rssMiB, 0),
];
const STEP_HEAD = [
  "deliveries/s",
  "p50 ms",
  "p99 ms",
  "max ms",
  "CPU µs/delivery",
  "of it user-space µs",
  "RSS MiB",
];

function fanoutSection(results: Results): string {
  const entries = Object.entries(results.fanout);
  if (entries.length === 0) return "";
  const ws = results.fanout.ws;
  const first = entries[0]?.[1];
  const knee = (f: FanoutResult) =>
    f.kneeOffered === undefined
      ? "below first step"
      : `${f.kneeAbove ? "≥ " : ""}${fmt(f.kneeOffered, 0)} msg/s`;
  const base = table(
    ["system", ...STEP_HEAD, "knee (offered)", "connect all, s"],
    entries.map(([name, f]) => [
      name,
      ...stepCells(f.first, ws?.first),
      knee(f),
      withRatio(f.connectMs / 1000, ws && ws.connectMs / 1000, 1),
    ]),
  );
  const steps = table(
    [
      "system",
      "offered msg/s",
      "deliveries/s",
      "delivered",
      "p50 ms",
      "p99 ms",
      "CPU µs/delivery",
      "server CPU",
      "client CPU",
      "SLO",
    ],
    entries.flatMap(([name, f]) =>
      f.steps.map((s) => [
        name,
        fmt(s.offered, 0),
        fmt(s.deliveriesPerSec, 0),
        `${(100 * s.deliveredRatio).toFixed(2)}%`,
        fmt(s.p50, 2),
        fmt(s.p99, 2),
        fmt(s.cpuUsPerDelivery, 2),
        `${fmt(s.cpuPct, 0)}%`,
        `${fmt(s.clientCpuPct, 0)}%`,
        s.meetsSlo ? "ok" : "missed",
      ]),
    ),
  );
  return [
    `## Fan-out: 1 room, ${first?.conns} connections, ${first?.senders} senders`,
    "",
    `First step: ${results.config.fanout.rate} msg/s per sender for ${results.config.fanout.firstSeconds} s, as ${results.config.rounds} rounds, each figure the median of the rounds; ratios are to raw \`ws\`. The knee is the highest offered rate that met the SLO (≥ 99.9% delivered, p99 ≤ 100 ms); the rate doubles from the first step while the SLO holds (halves when the first step already missed it), and one more step runs at ×1.41 between the last rate that held and the first that did not. "connect all" is the time to open every connection.`,
    "",
    base,
    "",
    "Every step:",
    "",
    steps,
  ].join("\n");
}

function roomsSection(results: Results): string {
  const entries = Object.entries(results.rooms);
  if (entries.length === 0) return "";
  const ws = results.rooms.ws?.step;
  const { rooms, size, rate, seconds } = results.config.rooms;
  return [
    `## Many rooms: ${rooms} rooms of ${size}, ${rate} msg/s per room, ${seconds} s`,
    "",
    table(
      ["system", ...STEP_HEAD, "delivered"],
      entries.map(([name, r]) => [
        name,
        ...stepCells(r.step, ws),
        `${(100 * r.step.deliveredRatio).toFixed(2)}%`,
      ]),
    ),
  ].join("\n");
}

function idleSection(results: Results): string {
  const entries = Object.entries(results.idle);
  if (entries.length === 0) return "";
  const ws = results.idle.ws;
  return [
    `## Idle: ${entries[0]?.[1].conns} authenticated idle connections`,
    "",
    "RSS before connecting (the lowest within 20 s); early, a few seconds after the last connect (the connect storm's garbage not yet given back); settled, the lowest RSS within 20 s of the last connect. KiB per connection is from the settled figure.",
    "",
    table(
      [
        "system",
        "RSS before MiB",
        "early MiB",
        "settled MiB",
        "watched for s",
        "KiB per connection",
        "early KiB per connection",
        "CPU µs per connect",
      ],
      entries.map(([name, r]) => [
        name,
        fmt(r.rssBeforeMiB, 0),
        fmt(r.rssAfterMiB, 0),
        fmt(r.rssSettledMiB ?? r.rssAfterMiB, 0),
        fmt(r.settledAfterS ?? 0, 0),
        withRatio(r.kibPerConn, ws?.kibPerConn, 1),
        withRatio(r.kibPerConnEarly ?? r.kibPerConn, ws?.kibPerConnEarly ?? ws?.kibPerConn, 1),
        withRatio(r.cpuUsPerConnect, ws?.cpuUsPerConnect, 0),
      ]),
    ),
  ].join("\n");
}

function parleySection(results: Results): string {
  const lines: string[] = [];
  const p = results.persist;
  const persisted = [
    ...(p ? [["parley", p] as const] : []),
    ...Object.entries(results.persistPeers ?? {}),
  ];
  const first = persisted[0]?.[1];
  if (first) {
    // Ratios are to Parley on SQLite, the run's own baseline here.
    const ratio = (v: number, base: number | undefined) =>
      p && persisted.length > 1 ? withRatio(v, base, 1) : fmt(v, 1);
    lines.push(
      `## Persistence: ${fmt(first.step.offered, 0)} msg/s offered by ${first.senders} senders, ${results.config.persist.seconds} s`,
      "",
      table(
        [
          "system",
          "store",
          "acked msg/s",
          "acked / sent",
          "ack p50 ms",
          "ack p99 ms",
          "CPU µs per ack",
          "server CPU",
        ],
        persisted.map(([name, r]) => [
          name.replace(/ .*/, ""),
          r.store ?? "SQLite",
          fmt(r.ackedPerSec, 0),
          `${r.step.acked} / ${r.step.sent}`,
          ratio(r.step.ackP50, p?.step.ackP50),
          ratio(r.step.ackP99, p?.step.ackP99),
          ratio(r.step.cpuUsPerAck, p?.step.cpuUsPerAck),
          `${fmt(r.step.cpuPct, 0)}%`,
        ]),
      ),
    );
  }
  const r = results.resume;
  if (r) {
    lines.push(
      "",
      `## Resume (Parley): replay a ${fmt(r.gap, 0)}-message gap`,
      "",
      table(
        [
          "replay ms",
          "messages",
          "history frames",
          "messages/s",
          "CPU µs per message",
          "gap written by",
        ],
        [
          [
            fmt(r.replayMs, 0),
            fmt(r.replayedMessages, 0),
            fmt(r.historyFrames, 0),
            fmt(r.replayMessagesPerSec, 0),
            fmt(r.cpuUsPerReplayed, 1),
            r.seed === "sql"
              ? "SQLite inserts"
              : `sends, one socket: ${fmt(r.seedAckedPerSec, 0)} acked msg/s`,
          ],
        ],
      ),
    );
  }
  const st = results.storm;
  if (st) {
    lines.push(
      "",
      `## Reconnect storm (Parley): ${fmt(st.clients, 0)} clients in one room, server killed and restarted`,
      "",
      table(
        [
          "first connect s",
          "all resumed s",
          "resumed",
          "longest wait s",
          "CPU µs/reconnect",
          "presence frames",
          "per client",
          "MiB received",
          "attempts",
        ],
        [
          [
            fmt(st.connectAllS, 1),
            st.resumeAllS === null ? "timed out" : fmt(st.resumeAllS, 1),
            `${fmt(st.resumed, 0)}/${fmt(st.clients, 0)}`,
            fmt(st.longestOpenWaitS, 1),
            fmt(st.cpuUsPerReconnect, 0),
            fmt(st.presenceFrames, 0),
            fmt(st.presencePerClient, 1),
            fmt(st.receivedMiB, 0),
            fmt(st.attempts, 0),
          ],
        ],
      ),
    );
  }
  const lr = results.largeRoom;
  if (lr) {
    lines.push(
      "",
      `## Large room (Parley): ${fmt(lr.members, 0)} members, ${fmt(lr.connected, 0)} connected, churn ${fmt(lr.churnPerSec, 0)}/s`,
      "",
      table(
        ["deliveries/s", "p50 ms", "p99 ms", "presence frames/s per connection", "server CPU"],
        [
          [
            fmt(lr.deliveriesPerSec, 0),
            fmt(lr.p50Ms, 0),
            fmt(lr.p99Ms, 0),
            fmt(lr.presencePerConnPerSec, 2),
            `${fmt(lr.serverCpuPct, 0)}%`,
          ],
        ],
      ),
    );
  }
  const rl = results.relay;
  if (rl) {
    lines.push(
      "",
      `## Relay (Parley, PostgreSQL): 1 room, ${rl.conns} connections, ${rl.senders} senders at ${results.config.relay.rate} msg/s, ${results.config.relay.seconds} s`,
      "",
      "Two instances sharing PostgreSQL and Redis, half the room on each (CPU and RSS of both summed), against one instance on the same database; ratios are to the one instance.",
      "",
      table(
        ["instances", ...STEP_HEAD, "delivered"],
        [
          [
            "1",
            ...stepCells(rl.single, undefined),
            `${(100 * rl.single.deliveredRatio).toFixed(2)}%`,
          ],
          [
            "2 + Redis",
            ...stepCells(rl.relay, rl.single),
            `${(100 * rl.relay.deliveredRatio).toFixed(2)}%`,
          ],
        ],
      ),
    );
  }
  const rs = results.rest;
  if (rs) {
    const failed = Object.entries(rs.failures)
      .map(([status, n]) => `${n} × ${status === "0" ? "no answer" : status}`)
      .join(", ");
    lines.push(
      "",
      `## REST API (Parley): posting at ${fmt(rs.offered, 0)} msg/s by ${rs.senders} senders, ${rs.seconds} s`,
      "",
      "POST /api/v1/rooms/{room}/messages with a token (open loop: latency from when each request was due to its 201), against the socket's send acks at the same rate on the same server; ratios are to the socket.",
      "",
      table(
        ["path", "created / acked", "p50 ms", "p99 ms", "CPU µs per message"],
        [
          [
            "socket send",
            `${rs.socket.acked} / ${rs.socket.sent}`,
            fmt(rs.socket.ackP50, 1),
            fmt(rs.socket.ackP99, 1),
            fmt(rs.socket.cpuUsPerAck, 0),
          ],
          [
            "REST POST",
            `${rs.created} / ${Math.round(rs.offered * rs.seconds)}${failed ? ` (${failed})` : ""}`,
            withRatio(rs.p50, rs.socket.ackP50, 1),
            withRatio(rs.p99, rs.socket.ackP99, 1),
            withRatio(rs.cpuUsPerPost, rs.socket.cpuUsPerAck, 0),
          ],
        ],
      ),
    );
  }
  const u = results.upload;
  if (u) {
    const ratio = (a: number, b: number) => (b > 0 ? ` (×${(a / b).toFixed(2)})` : "");
    lines.push(
      "",
      `## Upload: ${fmt(u.parley.sizeMB, 0)} MB streamed to POST /api/files, ${u.parley.runs.length} runs (median; RSS: the largest rise)`,
      "",
      table(
        ["system", "MB/s", "server RSS rise MiB", "CPU ms per MB"],
        [
          [
            "Parley",
            `${fmt(u.parley.mbPerSec, 0)}${ratio(u.parley.mbPerSec, u.floor.mbPerSec)}`,
            fmt(u.parley.rssGrowthMiB, 1),
            `${fmt(u.parley.cpuMsPerMB, 2)}${ratio(u.parley.cpuMsPerMB, u.floor.cpuMsPerMB)}`,
          ],
          [
            "floor (node:http to a file)",
            fmt(u.floor.mbPerSec, 0),
            fmt(u.floor.rssGrowthMiB, 1),
            fmt(u.floor.cpuMsPerMB, 2),
          ],
        ],
      ),
    );
  }
  return lines.join("\n");
}

export function markdown(results: Results): string {
  const { machine } = results;
  const failures = Object.entries(results.failures).map(([k, v]) => `- ${k}: ${v}`);
  const skipped = Object.entries(results.skipped ?? {}).map(([k, v]) => `- ${k}: ${v}`);
  return [
    `Run ${results.date}, Node ${machine.node}, ${machine.cpus} cores, load average at start ${machine.loadAverage.map((l) => l.toFixed(1)).join(" ")}.`,
    results.prepareEjabberd
      ? `ejabberd's ${fmt(results.prepareEjabberd.users, 0)} users were registered through its HTTP API (16 in flight) in ${fmt(results.prepareEjabberd.registerMs / 1000, 1)} s.`
      : "",
    fanoutSection(results),
    roomsSection(results),
    idleSection(results),
    parleySection(results),
    skipped.length ? `## Left out (service unreachable)\n\n${skipped.join("\n")}` : "",
    failures.length ? `## Failures\n\n${failures.join("\n")}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}
