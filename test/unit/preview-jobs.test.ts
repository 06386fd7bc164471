// The link-preview queue (issue 12) with a stand-in for the fetch: bounded
// concurrency, a bounded queue that drops, off means off, failures logged
// and never thrown. No timers: each job is held by
// a promise the test settles.
import { describe, expect, it } from "vitest";
import type { PreviewEffect } from "../../src/core/actions/shared";
import type { BlobStore } from "../../src/ports";
import type { WireMessage } from "../../src/protocol/frames";
import type { Job, Made } from "../../src/server/previews/make-preview.server";
import {
  createPreviewJobs,
  type PreviewJobsDeps,
} from "../../src/server/previews/preview-jobs.server";
import { wireMessage } from "../helpers/fixtures";

type Line = { level: string; msg: string; fields?: object };

function setup(overrides: Partial<PreviewJobsDeps> = {}) {
  const lines: Line[] = [];
  const at = (level: string) => (msg: string, fields?: object) =>
    lines.push({ level, msg, fields });
  const published: WireMessage[] = [];
  const deleted: string[] = [];
  const held: { job: Job; finish: (made: Made | Error) => void }[] = [];
  let running = 0;
  let most = 0;
  const blobs = {
    delete: async (key: string) => {
      if (key === "broken") throw new Error("disk gone");
      deleted.push(key);
    },
  } as unknown as BlobStore;
  const jobs = createPreviewJobs({
    enabled: true,
    allowHosts: [],
    messages: { attachPreview: async () => undefined },
    blobs,
    log: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") },
    publish: (_roomId, message) => published.push(message),
    concurrency: 2,
    queueLimit: 3,
    make: (job) =>
      new Promise<Made>((resolve, reject) => {
        running++;
        most = Math.max(most, running);
        held.push({
          job,
          finish: (made) => {
            running--;
            if (made instanceof Error) reject(made);
            else resolve(made);
          },
        });
      }),
    ...overrides,
  });
  return { jobs, lines, published, deleted, held, most: () => most };
}

const make = (n: number): PreviewEffect => ({
  kind: "preview",
  op: "make",
  roomId: "r",
  messageId: `m${n}`,
  authorId: "u",
  url: `https://site${n}.example/page`,
});

/** Lets queued promise callbacks run (no timers involved). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("preview jobs", () => {
  it("runs at most `concurrency` at once and publishes what was made", async () => {
    const { jobs, held, published, most } = setup();
    for (let n = 1; n <= 4; n++) jobs.take(make(n));
    expect(held.map((h) => h.job.messageId)).toEqual(["m1", "m2"]);
    const message = wireMessage(1, { id: "m1" });
    held[0]?.finish({ ok: true, message });
    await flush();
    expect(published).toEqual([message]);
    expect(held.map((h) => h.job.messageId)).toEqual(["m1", "m2", "m3"]);
    for (const h of held.slice(1)) h.finish({ ok: false, reason: "no" });
    await flush();
    held[3]?.finish({ ok: false, reason: "no" });
    await jobs.idle();
    expect(most()).toBe(2);
    expect(held).toHaveLength(4);
  });

  it("drops a job when the queue is full, and logs it by host", () => {
    const { jobs, held, lines } = setup();
    for (let n = 1; n <= 6; n++) jobs.take(make(n)); // 2 running + 3 queued + 1 over
    expect(held).toHaveLength(2);
    expect(lines).toContainEqual({
      level: "warn",
      msg: "link preview dropped: the queue is full",
      fields: { host: "site6.example" },
    });
  });

  it("logs a refusal and a thrown failure, and keeps going", async () => {
    const { jobs, held, lines, published } = setup();
    jobs.take(make(1));
    jobs.take(make(2));
    held[0]?.finish({ ok: false, reason: "site1.example is 10.0.0.1, private" });
    held[1]?.finish(new Error("boom"));
    await jobs.idle();
    expect(published).toEqual([]);
    expect(lines).toContainEqual({
      level: "info",
      msg: "link preview not made",
      fields: { host: "site1.example", reason: "site1.example is 10.0.0.1, private" },
    });
    expect(lines).toContainEqual({
      level: "error",
      msg: "link preview failed",
      fields: { host: "site2.example", error: "Error: boom" },
    });
    jobs.take(make(3));
    expect(held).toHaveLength(3);
  });

  it("off: nothing is made", async () => {
    const { jobs, held, lines } = setup({ enabled: false });
    jobs.take(make(1));
    await jobs.idle();
    expect(held).toEqual([]);
    expect(lines.map((l) => l.msg)).toEqual(["link preview skipped: PARLEY_LINK_PREVIEWS=off"]);
  });
});
