import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../helpers/clients";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

const run = promisify(execFile);

/** README's `sh api-example` blocks, in order: what an operator would paste. */
function examples(): string[] {
  const readme = readFileSync("README.md", "utf8");
  return [...readme.matchAll(/```sh api-example\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

// Issue 15: README's REST API examples, run with real curl against a real
// server and a token made as a person makes one (createMyTokenFn).
describe("README's REST API examples", () => {
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startServer();
    const person = await signUp(server.url);
    const made = await callServerFn<{ ok: true; token: string } | { ok: false; error: string }>(
      server.url,
      "createMyTokenFn",
      { name: "readme", scopes: ["read", "write"], expiresAt: null },
      { cookie: person.cookie },
    );
    if (!made.ok || !made.result.ok) throw new Error(`no token: ${JSON.stringify(made)}`);
    env = { ...process.env, PARLEY_URL: server.url, PARLEY_TOKEN: made.result.token };
  });
  afterAll(() => server?.stop());

  const sh = async (script: string) => {
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script], { env });
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it("has the five examples, and each answers what its comment says", async () => {
    const [rooms, join, post, after, search] = examples();
    expect([rooms, join, post, after, search].every(Boolean)).toBe(true);

    const listed = (await sh(rooms as string)) as { rooms: { slug: string }[] };
    expect(listed.rooms.map((r) => r.slug)).toContain("general");

    const joined = (await sh(join as string)) as { room: { slug: string } };
    expect(joined.room.slug).toBe("general");
    const first = (await sh(post as string)) as { id: string; seq: number; text: string };
    expect(first.text).toBe("Deploy 4711 is **live**");
    // The same Idempotency-Key again: the message already stored, not a second one.
    const again = (await sh(post as string)) as { id: string; seq: number };
    expect(again).toMatchObject({ id: first.id, seq: first.seq });

    const page = (await sh(after as string)) as { messages: { id: string }[] };
    expect(page.messages.filter((m) => m.id === first.id)).toHaveLength(1);

    const found = (await sh(search as string)) as { hits?: { message: { id: string } }[] };
    expect(JSON.stringify(found)).toContain(first.id);
  });

  it("an example without the token is refused with a problem, not an empty answer", async () => {
    const [rooms] = examples();
    const { stdout } = await run("bash", ["-c", rooms as string], {
      env: { ...env, PARLEY_TOKEN: "not-a-token" },
    });
    const problem = JSON.parse(stdout) as { status: number; code: string };
    expect(problem.status).toBe(401);
  });
});
