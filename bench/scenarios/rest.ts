// The REST API beside the socket (issue 15): posting a message at the
// same offered rate both ways, on the same server and data. The socket's
// figure is the ack latency of `send` frames (as in persistence); the
// API's is the time from when each POST was due to its 201, open loop (a
// slow answer does not delay the next request, so queueing shows in the
// tail instead of hiding in a lower rate). Each sender posts into a room
// of its own as its own user, with a token of its own, so the per-token
// rate limit is the socket's per-user one and neither path fans out.
import { createHash, randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { cpuMicros, sleep } from "../lib/proc.ts";
import { nowMs } from "../lib/stats.ts";
import {
  type Context,
  describeStep,
  measureStep,
  openAll,
  range,
  type StepResult,
  withSystem,
} from "./measure.ts";
import { warmUp } from "./rounds.ts";

export type RestResult = {
  senders: number;
  offered: number;
  seconds: number;
  /** POSTs answered 201, and the others (status -> count). */
  created: number;
  failures: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  /** Server CPU per created message, in µs. */
  cpuUsPerPost: number;
  /** The socket's send at the same rate on the same server, for the ratio. */
  socket: StepResult;
};

/** One token per bench user, written as the server stores them (SHA-256 of the whole token). */
function seedTokens(dataDir: string, names: string[]): string[] {
  const db = new DatabaseSync(join(dataDir, "parley.db"));
  db.exec("PRAGMA busy_timeout = 5000");
  try {
    const find = db.prepare('SELECT id FROM "user" WHERE name = ?');
    const insert = db.prepare(
      "INSERT INTO api_token (id, user_id, name, token_hash, scopes, created_at) VALUES (?, ?, 'bench', ?, 'read,write', ?)",
    );
    return names.map((name) => {
      const row = find.get(name) as { id: string } | undefined;
      if (!row) throw new Error(`no bench user ${name}`);
      const id = randomBytes(9).toString("base64url");
      const token = `pat_${id}_${randomBytes(32).toString("base64url")}`;
      insert.run(id, row.id, createHash("sha256").update(token).digest("hex"), Date.now());
      return token;
    });
  } finally {
    db.close();
  }
}

type Post = { slug: string; token: string; text: string };

/** POSTs one message; resolves with the status (0 for a transport error). */
function post(base: URL, agent: Agent, { slug, token, text }: Post): Promise<number> {
  const body = JSON.stringify({ text });
  return new Promise((resolve) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path: `/api/v1/rooms/${encodeURIComponent(slug)}/messages`,
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "idempotency-key": randomBytes(12).toString("base64url"),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/** Offers `rate` POSTs a second for `seconds`, round robin over the senders. */
async function offer(
  base: URL,
  senders: { slug: string; token: string }[],
  rate: number,
  seconds: number,
  pad: string,
): Promise<{ latencies: number[]; created: number; failures: Record<string, number> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: senders.length });
  const total = Math.round(rate * seconds);
  const start = nowMs() + 50;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let created = 0;
  const inFlight: Promise<void>[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - nowMs();
      if (wait > 1) await sleep(wait);
      const sender = senders[i % senders.length] as { slug: string; token: string };
      inFlight.push(
        post(base, agent, { ...sender, text: `${pad} ${i}` }).then((status) => {
          if (status === 201) {
            created++;
            latencies.push(nowMs() - due);
          } else failures[String(status)] = (failures[String(status)] ?? 0) + 1;
        }),
      );
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  return { latencies, created, failures };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);

export function rest(ctx: Context): Promise<RestResult> {
  const parley = ctx.parley;
  if (!parley) throw new Error("the REST scenario needs Parley's data");
  const { senders, rate, seconds } = ctx.config.rest;
  const names = range(senders).map((i) => {
    const user = parley.users[i];
    if (!user) throw new Error(`no bench user ${i}`);
    return user.name;
  });
  const tokens = seedTokens(parley.dataDir, names);
  const rooms = range(senders).map((i) => ({ slug: `p-${i}`, token: tokens[i] as string }));
  const pad = "x".repeat(ctx.config.textChars);
  return withSystem(ctx, "parley", async (system) => {
    const base = new URL(system.base);
    // Warm-up: JIT and the connection pool, unmeasured.
    await offer(base, rooms, rate, ctx.config.warmupSeconds, pad);
    const before = cpuMicros(system.server.pid);
    const api = await offer(base, rooms, rate, seconds, pad);
    const cpuUs = cpuMicros(system.server.pid) - before;
    const sorted = [...api.latencies].sort((a, b) => a - b);
    // The socket at the same rate, same users and rooms, right after.
    await openAll(
      ctx,
      system,
      system.specs(range(senders), (i) => [`p-${i}`]),
    );
    await sleep(500);
    const load = {
      seconds,
      perSecond: rate / senders,
      senders: range(senders).map((conn) => ({ conn, slug: `p-${conn}` })),
      receiversPerMessage: 0,
    };
    await warmUp(ctx.gen, ctx.config, load);
    const socket = await measureStep(system, ctx.gen, ctx.config, load);
    const result: RestResult = {
      senders,
      offered: rate,
      seconds,
      created: api.created,
      failures: api.failures,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
      cpuUsPerPost: api.created > 0 ? cpuUs / api.created : Number.NaN,
      socket,
    };
    ctx.log(
      `parley REST: ${api.created} of ${Math.round(rate * seconds)} posts created at ${rate}/s, ` +
        `p50 ${result.p50.toFixed(1)} ms p99 ${result.p99.toFixed(1)} ms, ` +
        `${result.cpuUsPerPost.toFixed(0)} µs CPU per post`,
    );
    ctx.log(describeStep("parley socket send (same rate)", socket));
    return result;
  });
}
