import { type ChildProcess, spawn } from "node:child_process";
import { waitListening } from "../../scripts/lib/cluster.ts";

/** A redis-server of the test's own, on its own port, to kill and restart. */
export function ownRedis(bin: string, port: number, dir: string) {
  let proc: ChildProcess | undefined;
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--logfile",
    "",
  ];
  const running = () => proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn(bin, args, { stdio: "ignore" });
      await waitListening(port, running, 10_000, () => `redis-server on ${port}`);
    },
    async kill() {
      const current = proc;
      if (!current || !running()) return;
      const exited = new Promise((resolve) => current.once("exit", resolve));
      current.kill("SIGKILL");
      await exited;
    },
  };
}
