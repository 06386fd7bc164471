// Helpers for tests of sockets that stop reading: the server's memory,
// its metrics, and a ws client whose TCP socket is paused.
import { readFileSync } from "node:fs";
import type { TestSocket } from "./clients";

/** The server process's resident set, in MiB. */
export function rssMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1]) / 1024;
}

/** One counter or gauge from /metrics (loopback needs no token). */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/** Polls until `check` holds or the deadline passes; returns whether it held. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** Stops reading a ws client's TCP socket (the kernel buffers fill, then the server's queue). */
export function pauseReading(socket: TestSocket) {
  const tcp = (socket.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  tcp.pause();
  return () => tcp.resume();
}
