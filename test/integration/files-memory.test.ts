import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireFile } from "../../src/protocol/frames";
import { signUp } from "../helpers/clients";
import { upload } from "../helpers/files";
import { type RunningServer, startServer } from "../helpers/server";

const MB = 1024 * 1024;
const TOTAL = 100 * MB;

/** The process's resident set size in bytes (VmRSS in /proc/<pid>/status). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

/** 100 MB in 64 KiB chunks of random bytes (one chunk reused: the server cannot tell). */
async function* generated(total: number) {
  const chunk = randomBytes(64 * 1024);
  for (let sent = 0; sent < total; sent += chunk.byteLength) yield chunk;
}

describe("a 100 MB upload", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PARLEY_MAX_UPLOAD_MB: "200" } });
  });
  afterAll(() => server?.stop());

  it("keeps the server's RSS growth under 50 MB (figures printed)", async () => {
    const pid = server.pid;
    if (!pid) throw new Error("no server pid");
    const { cookie } = await signUp(server.url);
    // Warm the upload path (first-use code, sharp's and file-type's modules) before the baseline.
    await upload(server.url, { cookie, name: "warm.bin", body: randomBytes(1024) });
    const baseline = rssOf(pid);
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(pid));
    }, 10);
    const started = performance.now();
    const answer = await upload(server.url, {
      cookie,
      name: "big.bin",
      body: generated(TOTAL),
      headers: { "content-length": String(TOTAL) },
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pid));
    expect(answer.status).toBe(201);
    expect((answer.json.file as WireFile).size).toBe(TOTAL);
    const growth = peak - baseline;
    console.log(
      `100 MB upload: ${(TOTAL / MB / seconds).toFixed(1)} MB/s (${seconds.toFixed(2)} s), ` +
        `server RSS ${(baseline / MB).toFixed(1)} MB before, peak ${(peak / MB).toFixed(1)} MB, ` +
        `growth ${(growth / MB).toFixed(1)} MB`,
    );
    expect(growth).toBeLessThan(50 * MB);
  });
});
