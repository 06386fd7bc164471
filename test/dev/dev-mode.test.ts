import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, getPage, signUp, upgradeStatus } from "../helpers/clients";
import { freePort } from "../helpers/server";

// `vite dev` serves pages and /_ws through Nitro's own dev adapter (not the
// production entry), so the chat has to work there too.

type DevServer = { url: string; child: ChildProcess; output: () => string; dataDir: string };

const repoData = join(process.cwd(), "data");
const repoDataBefore = existsSync(repoData) ? readdirSync(repoData).sort() : null;

async function startDevServer(): Promise<DevServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "parley-dev-"));
  const url = `http://127.0.0.1:${port}`;
  let log = "";
  const child = spawn(
    process.execPath,
    [
      "node_modules/vite/bin/vite.js",
      "dev",
      "--port",
      String(port),
      "--strictPort",
      "--host",
      "127.0.0.1",
    ],
    {
      env: {
        ...process.env,
        PARLEY_DATA_DIR: dataDir,
        DATABASE_URL: join(dataDir, "parley.db"),
        BETTER_AUTH_SECRET: "dev-test-secret-dev-test-secret-0123456",
        LOG_LEVEL: "warn",
        // Vite must not try to open a browser or clear the screen.
        BROWSER: "none",
        CI: "true",
      },
      // Its own process group, so that the whole tree can be stopped at once.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk) => {
    log += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    log += chunk;
  });
  const server = { url, child, output: () => log, dataDir };

  // The first request compiles the app: allow a slow machine its time, but
  // give up early when the server keeps answering with errors.
  const deadline = Date.now() + 90_000;
  let failingSince: number | undefined;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`vite dev exited with ${child.exitCode}:\n${log}`);
    }
    try {
      const response = await fetch(`${url}/`, { redirect: "manual" });
      const body = await response.text();
      if (response.status < 400) return server;
      lastError = `GET / -> ${response.status}: ${body.slice(0, 500)}`;
      failingSince ??= Date.now();
      if (Date.now() - failingSince > 20_000) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopDevServer(server);
  throw new Error(`vite dev did not serve GET / (${lastError || "no answer"}):\n${log}`);
}

/** SIGTERM to the whole process group, SIGKILL after 5 s. */
async function stopDevServer(server: DevServer): Promise<void> {
  const { child } = server;
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // the group is gone already
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  // Children of vite (if any) die with the group; make sure none linger.
  signalGroup("SIGKILL");
}

describe("vite dev server", () => {
  let server: DevServer | undefined;

  beforeAll(async () => {
    server = await startDevServer();
  });

  afterAll(async () => {
    if (!server) return;
    await stopDevServer(server);
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  const dev = () => {
    if (!server) throw new Error("dev server not started");
    return server;
  };

  it("redirects / to /sign-in and serves the sign-in page", async () => {
    const root = await fetch(`${dev().url}/`, { redirect: "manual" });
    expect(root.status).toBeGreaterThanOrEqual(300);
    expect(root.status).toBeLessThan(400);
    expect(new URL(root.headers.get("location") ?? "", dev().url).pathname).toBe("/sign-in");

    const page = await fetch(`${dev().url}/sign-in`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain("Sign in");
  });

  it("signs up over HTTP and chats over an authenticated /_ws", async () => {
    const { cookie, name } = await signUp(dev().url, { name: "Devi" });
    // Opening the room page renders it on the server and joins the user.
    const room = await getPage(dev().url, "/r/general", cookie);
    expect(room.status).toBe(200);
    expect(room.html).toContain("general");
    const socket = await connect(dev().url, cookie);
    const ready = socket.frames[0];
    expect(ready).toMatchObject({ type: "ready", user: { name } });
    const rooms = (ready?.rooms ?? []) as { id: string; slug: string }[];
    const general = rooms.find((room) => room.slug === "general");
    expect(general, `ready.rooms: ${JSON.stringify(rooms)}`).toBeDefined();

    socket.send({ type: "send", roomId: general?.id, clientId: "dev-1", text: "hello from dev" });
    const ack = await socket.next((frame) => frame.type === "ack");
    expect(ack).toMatchObject({ clientId: "dev-1", message: { text: "hello from dev" } });
    socket.close();
    await socket.closed;
  });

  it("refuses a /_ws upgrade without a session cookie with 401", async () => {
    expect(await upgradeStatus(dev().url, { origin: dev().url })).toBe(401);
  });

  it("keeps its data out of the repository's ./data", () => {
    expect(existsSync(join(dev().dataDir, "parley.db"))).toBe(true);
    const now = existsSync(repoData) ? readdirSync(repoData).sort() : null;
    expect(now).toEqual(repoDataBefore);
  });
});
