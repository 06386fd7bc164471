// The two servers of the upload scenario: Parley (signed in as a bench
// user, posting to /api/files) and the floor (bench/baselines/upload-floor.ts).
import { startParley } from "./parley.ts";
import { answers, freePort, startProcess } from "./proc.ts";
import type { ParleyData } from "./systems.ts";

export type UploadSystem = {
  pid: number;
  url: string;
  headers: Record<string, string>;
  stop: () => Promise<void>;
};

export async function startSystemProcess(
  name: "parley" | "floor",
  parley: ParleyData | undefined,
): Promise<UploadSystem> {
  if (name === "parley") {
    const user = parley?.users[0];
    if (!parley || !user) throw new Error("the upload scenario needs Parley's prepared users");
    // Large enough for the scenario's file whatever its size.
    const server = await startParley(parley.dataDir, [], {
      PARLEY_MAX_UPLOAD_MB: "4096",
      PARLEY_USER_QUOTA_MB: "1000000",
    });
    return {
      pid: server.pid,
      url: `http://127.0.0.1:${server.port}/api/files?name=bench.bin`,
      headers: { cookie: user.cookie },
      stop: () => server.stop(),
    };
  }
  const port = await freePort();
  const server = await startProcess({
    name: "upload-floor",
    port,
    args: ["bench/baselines/upload-floor.ts"],
    env: { PORT: String(port) },
    ready: () => answers(`http://127.0.0.1:${port}/`),
  });
  return {
    pid: server.pid,
    url: `http://127.0.0.1:${port}/upload`,
    headers: {},
    stop: () => server.stop(),
  };
}
