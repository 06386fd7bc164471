import { spawn } from "node:child_process";
import { join } from "node:path";

export type ScriptRun = { code: number | null; stdout: string; stderr: string };

/** Runs `npm run import|export -- ...args` as an operator would, against a data folder or a database URL. */
export function runScript(
  script: "import" | "export",
  args: string[],
  store: { dataDir: string; databaseUrl?: string },
): Promise<ScriptRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PARLEY_DATA_DIR: store.dataDir,
    DATABASE_URL: store.databaseUrl ?? join(store.dataDir, "parley.db"),
    NODE_ENV: "production",
  };
  delete env.REDIS_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "./scripts/lib/ts-resolve.mjs", `scripts/${script}.ts`, ...args],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
