import { connect as connectTcp } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import { openDb } from "../helpers/integration-extra";
import { waitFor } from "../helpers/node-client";
import { type RunningServer, startServer } from "../helpers/server";

const PASSWORD = "correct horse battery";
let counter = 0;
const freshEmail = () => `names-${Date.now()}-${counter++}@example.test`;

/**
 * Streams up to `total` bytes of body to `path` over a raw TCP socket in
 * 64 KiB chunks, stopping as soon as the server answers or hangs up (write
 * errors after that are expected); reports the status and how much was sent.
 */
function streamBody(
  baseUrl: string,
  path: string,
  total: number,
  headers: Record<string, string>,
): Promise<{ status: number; sent: number }> {
  const url = new URL(baseUrl);
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const chunked = !("content-length" in headers);
  return new Promise((resolve) => {
    let sent = 0;
    let received = "";
    let done = false;
    const socket = connectTcp(Number(url.port), url.hostname);
    const statusOf = () => Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ status: statusOf(), sent });
    };
    socket.on("data", (data) => {
      received += data.toString("latin1");
      if (received.includes("\r\n\r\n")) finish();
    });
    socket.on("error", () => finish());
    socket.on("close", () => finish());
    const head = [
      `POST ${path} HTTP/1.1`,
      `host: ${url.host}`,
      `origin: ${baseUrl}`,
      "content-type: application/json",
      ...(chunked ? ["transfer-encoding: chunked"] : []),
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      "",
      "",
    ].join("\r\n");
    socket.write(head);
    const piece = chunked
      ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])
      : chunk;
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!socket.write(piece)) return void socket.once("drain", pump);
      }
      if (!done && chunked && total > 0) socket.write("0\r\n\r\n");
    };
    pump();
  });
}

// F-4: display names are checked on every path that sets them.
describe("display names on sign-up and update-user", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  const signUpWith = (name: unknown) =>
    httpFrom(server.url, "/api/auth/sign-up/email", {
      body: { name, email: freshEmail(), password: PASSWORD },
    });

  it("stores the normalized form of a name", async () => {
    const answer = await signUpWith("  Ｄana   Q ");
    expect(answer.status).toBe(200);
    const session = await httpFrom(server.url, "/api/auth/get-session", {
      headers: { cookie: answer.cookie ?? "" },
    });
    expect((session.json().user as { name: string }).name).toBe("Dana Q");
  });

  it.each([
    ["65 characters", "x".repeat(65), /at most 64/],
    ["a number", 123, /text/],
    ["an object", { toString: "boom" }, /text/],
    ["an array", ["a"], /text/],
    ["null", null, /text/],
    ["blank", "   ", /enter a name/i],
    ["a right-to-left override", "Dana\u202Egro", /U\+202E/],
  ])("refuses %s with a 400 that says why", async (_what, name, message) => {
    const answer = await signUpWith(name);
    expect(answer.status).toBe(400);
    expect(answer.json().code).toBe("INVALID_NAME");
    expect(String(answer.json().message)).toMatch(message);
  });

  it("checks names on update-user too, and stores what was checked", async () => {
    const { cookie } = await signUp(server.url);
    const update = (name: unknown) =>
      httpFrom(server.url, "/api/auth/update-user", { body: { name }, headers: { cookie } });
    for (const bad of ["y".repeat(1000), 123, { a: 1 }, "\u200B"]) {
      const answer = await update(bad);
      expect(answer.status).toBe(400);
      expect(answer.json().code).toBe("INVALID_NAME");
    }
    expect((await update(" Renamed\tPerson ")).status).toBe(200);
    const session = await httpFrom(server.url, "/api/auth/get-session", { headers: { cookie } });
    expect((session.json().user as { name: string }).name).toBe("Renamed Person");
    expect(server.output()).not.toMatch(/TypeError|at .*\.mjs:\d+/);
  });
});

// F-4: request bodies are capped before they are read.
describe("request body caps", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("refuses a sign-up body over 64 KiB with 413 (a 20 MB name never lands)", async () => {
    const answer = await httpFrom(server.url, "/api/auth/sign-up/email", {
      body: { name: "n".repeat(20_000_000), email: freshEmail(), password: PASSWORD },
    });
    expect(answer.status).toBe(413);
    expect(answer.json().code).toBe("PAYLOAD_TOO_LARGE");
    const justOver = await httpFrom(server.url, "/api/auth/sign-up/email", {
      body: { name: "n".repeat(66_000), email: freshEmail(), password: PASSWORD },
    });
    expect(justOver.status).toBe(413);
  });

  it("answers a 100 MB sign-in body with 413 without reading it all", async () => {
    const started = Date.now();
    const declared = await streamBody(server.url, "/api/auth/sign-in/email", 100 * 1024 * 1024, {
      "content-length": String(100 * 1024 * 1024),
    });
    const chunked = await streamBody(server.url, "/api/auth/sign-in/email", 100 * 1024 * 1024, {});
    console.log(
      `100 MB sign-in bodies: declared length sent ${declared.sent} bytes, chunked sent ${chunked.sent} bytes, ${Date.now() - started} ms`,
    );
    expect(declared.status).toBe(413);
    expect(chunked.status).toBe(413);
    expect(declared.sent).toBeLessThan(20 * 1024 * 1024);
    expect(chunked.sent).toBeLessThan(20 * 1024 * 1024);
    // The server is still fine.
    expect((await signUp(server.url)).cookie).toBeTruthy();
  });

  it("keeps the 413 for a client too busy to read while its body is still going out", async () => {
    // The kernel sends what the client wrote while the client's process
    // does not run (a loaded machine): the server once cut the connection
    // after 1 MiB of dropped body, and the reset took the unread 413 with it.
    const url = new URL(server.url);
    const socket = connectTcp(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.pause();
    const head = [
      "POST /api/auth/sign-in/email HTTP/1.1",
      `host: ${url.host}`,
      `origin: ${server.url}`,
      "content-type: application/json",
      `content-length: ${100 * 1024 * 1024}`,
      "",
      "",
    ].join("\r\n");
    socket.write(head);
    socket.write(Buffer.alloc(6 * 1024 * 1024, 0x61));
    // Until the server stops taking more: the body that is still queued
    // on our side stops shrinking (the server reads no more, or hung up).
    let queued = socket.writableLength;
    let steady = 0;
    await waitFor(() => {
      const now = socket.writableLength;
      steady = now === queued ? steady + 1 : 0;
      queued = now;
      return steady >= 5 || socket.destroyed;
    }, "the server to stop reading the refused body");
    const received = await new Promise<string>((resolve) => {
      let text = "";
      if (socket.destroyed) resolve(text);
      socket.on("data", (data) => {
        text += data.toString("latin1");
        if (text.includes("\r\n\r\n")) resolve(text);
      });
      socket.on("error", () => resolve(text));
      socket.on("close", () => resolve(text));
      socket.resume();
    });
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413/);
  });

  it("refuses server-function bodies over 256 KiB (413) and undeclared lengths (411)", async () => {
    const big = await httpFrom(server.url, "/_serverFn/anything", {
      body: "x".repeat(300 * 1024),
    });
    expect(big.status).toBe(413);
    // Headers only: the refusal must come before any of the body is read.
    const chunked = await streamBody(server.url, "/_serverFn/anything", 0, {});
    expect(chunked.status).toBe(411);
  });
});

// F-4: names stored before the rule existed are brought within it.
describe("over-long names already in the database", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("are clamped by a migration step, so member lists never carry them", async () => {
    const long = await signUp(server.url);
    const bidi = await signUp(server.url);
    await server.stop();
    const db = openDb(server.dataDir);
    try {
      db.prepare('UPDATE "user" SET name = ? WHERE email = ?').run("L".repeat(100_000), long.email);
      db.prepare('UPDATE "user" SET name = ? WHERE email = ?').run("\u202E\u200B", bidi.email);
      // As if the database predates the step. Kysely refuses a gap before
      // an applied step, so the steps after it are undone too (0006 added
      // room.is_default).
      db.prepare("DELETE FROM parley_migration WHERE name LIKE '%clamp_names%'").run();
      db.prepare("DELETE FROM parley_migration WHERE name LIKE '%default_room%'").run();
      db.prepare("ALTER TABLE room DROP COLUMN is_default").run();
    } finally {
      db.close();
    }
    await server.restart();
    const check = openDb(server.dataDir);
    try {
      const nameOf = (email: string) =>
        String(
          (check.prepare('SELECT name FROM "user" WHERE email = ?').get(email) as { name: string })
            .name,
        );
      expect(nameOf(long.email)).toBe("L".repeat(64));
      expect(nameOf(bidi.email)).toBe("user");
    } finally {
      check.close();
    }
  });
});
