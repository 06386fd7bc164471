import { describe, expect, it } from "vitest";
import { freePort, httpReady, supervise } from "../../scripts/lib/supervisor.ts";

/** A tiny HTTP server child: prints "up <port>", and what it does on SIGTERM. */
const httpChild = (port: number, onTerm: "exit" | "ignore" = "exit") => [
  "-e",
  `const server = require("node:http").createServer((_q, s) => s.end("ok"));
   server.listen(${port}, "127.0.0.1", () => console.log("up ${port}"));
   process.on("SIGTERM", () => {
     console.log("got SIGTERM");
     if (${JSON.stringify(onTerm)} === "exit") process.exit(0);
   });`,
];

async function until(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("supervise", () => {
  it("starts with its env, waits for HTTP, keeps the output and stops with SIGTERM", async () => {
    const port = await freePort();
    const proc = supervise({
      name: "echo",
      args: ["-e", `console.log("hello " + process.env.WHO); ${httpChild(port)[1]}`],
      env: { ...process.env, WHO: "world" },
      ready: httpReady(`http://127.0.0.1:${port}/`),
    });
    await proc.start();
    expect(proc.running).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    await until(() => proc.output().includes(`up ${port}`));
    expect(proc.output()).toContain("hello world");
    await proc.stop();
    expect(proc.running).toBe(false);
    expect(proc.output()).toContain("got SIGTERM");
  });

  it("sends SIGKILL when the stop signal is ignored past the deadline", async () => {
    const port = await freePort();
    const proc = supervise({
      name: "stubborn",
      args: httpChild(port, "ignore"),
      ready: httpReady(`http://127.0.0.1:${port}/`),
    });
    await proc.start();
    const started = Date.now();
    await proc.stop(300);
    const took = Date.now() - started;
    expect(proc.running).toBe(false);
    expect(proc.output()).toContain("got SIGTERM");
    expect(took).toBeGreaterThanOrEqual(250);
    console.log(`stop with an ignored SIGTERM and a 300 ms deadline took ${took} ms`);
  });

  it("restarts with a new pid and a fresh output, and kills", async () => {
    const port = await freePort();
    const proc = supervise({
      name: "again",
      args: httpChild(port),
      ready: httpReady(`http://127.0.0.1:${port}/`),
    });
    await proc.start();
    const first = proc.pid;
    await until(() => proc.output().includes("up"));
    await proc.restart();
    expect(proc.pid).not.toBe(first);
    expect(proc.output()).not.toContain("got SIGTERM");
    await proc.kill();
    expect(proc.running).toBe(false);
  });

  it("names a process that exits unasked, and not one that was stopped", async () => {
    const port = await freePort();
    const exits: string[] = [];
    const proc = supervise({
      name: "fragile",
      args: ["-e", `${httpChild(port)[1]}; process.on("SIGUSR2", () => process.exit(3));`],
      ready: httpReady(`http://127.0.0.1:${port}/`),
    });
    proc.onUnexpectedExit((code, signal) => exits.push(`${proc.name} ${code} ${signal}`));
    await proc.start();
    if (proc.pid) process.kill(proc.pid, "SIGUSR2");
    await until(() => exits.length > 0);
    expect(exits).toEqual(["fragile 3 null"]);
    await proc.start();
    await proc.stop();
    expect(exits).toHaveLength(1);
  });

  it("fails start, naming the process and its output, when it exits before it is ready", async () => {
    const proc = supervise({
      name: "broken",
      args: ["-e", 'console.error("bad config: PORT"); process.exit(1)'],
      ready: httpReady(`http://127.0.0.1:${await freePort()}/`),
    });
    await expect(proc.start()).rejects.toThrow(
      /exited before it was ready: broken[\s\S]*bad config: PORT/,
    );
  });

  it("fails start and kills the process when it is not ready in time", async () => {
    const proc = supervise({
      name: "silent",
      args: ["-e", "setInterval(() => {}, 1000)"],
      ready: httpReady(`http://127.0.0.1:${await freePort()}/`, { timeoutMs: 300 }),
    });
    await expect(proc.start()).rejects.toThrow(/not ready within 300 ms[\s\S]*silent/);
    expect(proc.running).toBe(false);
  });
});
