import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../../src/protocol/frames";
import { verifySignature } from "../../src/server/webhooks/signature.server";
import { connect, type Frame, signUp, type TestSocket } from "../helpers/clients";
import { openDb, startServeLike } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Issue 15, custom slash commands, against the built server and a command
// service this test runs on loopback (allowed by PARLEY_WEBHOOK_ALLOW_HOSTS).

type Received = { path: string; headers: IncomingMessage["headers"]; body: string };
type Reply = { status: number; body?: string; hang?: boolean };

let server: RunningServer;
let service: Server;
let serviceUrl: string;
const received: Received[] = [];
/** How each path answers; 200 `{"text": "ok <text>"}` when unset. */
const replies = new Map<string, (request: { text: string }) => Reply>();
let owner: { cookie: string; name: string };
let ownerSocket: TestSocket;
let member: { cookie: string; name: string };

type Made = {
  ok: true;
  command: { id: string; name: string; response: string };
  secret: string;
};
type Refused = { ok: false; error: string };
type Ran = { ok: true; text: string | null } | Refused;

async function fn<T>(name: string, data: unknown, cookie = owner.cookie, method?: "GET" | "POST") {
  const answer = await callServerFn<T>(server.url, name, data, { cookie, method });
  if (!answer.ok) throw new Error(`${name}: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

function rows<T>(sql: string, ...params: string[]): T[] {
  const db = openDb(server.dataDir);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const unique = (prefix: string) => `${prefix}${randomUUID().slice(0, 6).replace(/-/g, "")}`;

async function newRoom(): Promise<{ id: string; slug: string; name: string }> {
  const made = await fn<{ ok: boolean; room?: { id: string; slug: string; name: string } }>(
    "createRoomFn",
    { name: unique("cmds ") },
  );
  if (!made.room) throw new Error(JSON.stringify(made));
  ownerSocket.send({ type: "subscribe", roomId: made.room.id });
  await ownerSocket.next((f) => f.type === "subscribed" && f.roomId === made.room?.id);
  return made.room;
}

function register(
  fields: { name: string; path?: string; url?: string; response?: string; description?: string },
  cookie = owner.cookie,
) {
  return fn<Made | Refused>(
    "createCommandFn",
    {
      name: fields.name,
      description: fields.description ?? "Does a thing",
      url: fields.url ?? `${serviceUrl}${fields.path ?? `/${fields.name}`}`,
      response: fields.response ?? "ephemeral",
    },
    cookie,
  );
}

async function made(fields: Parameters<typeof register>[0]): Promise<Made> {
  const answer = await register(fields);
  if (!answer.ok) throw new Error(answer.error);
  return answer;
}

const run = (roomId: string, name: string, args: string, cookie = owner.cookie) =>
  fn<Ran>("runCommandFn", { roomId, name, args }, cookie);

beforeAll(async () => {
  service = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const path = request.url ?? "/";
      const body = Buffer.concat(chunks).toString();
      received.push({ path, headers: request.headers, body });
      const parsed = JSON.parse(body) as { text: string };
      const reply = replies.get(path)?.(parsed) ?? {
        status: 200,
        body: JSON.stringify({ text: `ok ${parsed.text}` }),
      };
      if (reply.hang) return; // never answers: Parley's deadline must fire
      response.writeHead(reply.status, { "content-type": "application/json" });
      response.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  server = await startServeLike({
    env: {
      PARLEY_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      PARLEY_COMMAND_TIMEOUT_MS: "1000",
      // The product's rate (the test helpers' default lifts it).
      PARLEY_RATE_PER_SECOND: "10",
      PARLEY_RATE_BURST: "30",
    },
  });
  owner = await signUp(server.url, { name: "Olive" }); // the first account: the owner
  ownerSocket = await connect(server.url, owner.cookie);
  member = await signUp(server.url, { name: "Milo" });
}, 60_000);

afterAll(async () => {
  ownerSocket?.close();
  await server?.stop();
  service?.closeAllConnections();
  await new Promise((resolve) => service?.close(resolve));
});

describe("custom slash commands", () => {
  it("POSTs a signed request and shows the answer to the user alone", async () => {
    const room = await newRoom();
    const name = unique("echo");
    const command = await made({ name: `/${name.toUpperCase()}`, path: `/${name}` });
    expect(command.command).toMatchObject({ name, response: "ephemeral" });
    expect(command.secret).toMatch(/^cmdsec_[\w-]{43}$/);
    const before = ownerSocket.frames.length;
    expect(await run(room.id, name, "hello there")).toEqual({ ok: true, text: "ok hello there" });
    const got = received.filter((r) => r.path === `/${name}`).at(-1);
    if (!got) throw new Error("the service got nothing");
    const headers = {
      timestamp: String(got.headers["x-parley-timestamp"]),
      signature: String(got.headers["x-parley-signature"]),
    };
    expect(verifySignature(command.secret, headers, got.body)).toBe(true);
    expect(verifySignature(`${command.secret}x`, headers, got.body)).toBe(false);
    expect(got.headers["x-parley-command"]).toBe(`/${name}`);
    expect(JSON.parse(got.body)).toMatchObject({
      command: `/${name}`,
      text: "hello there",
      user: { name: "Olive" },
      room: { id: room.id, slug: room.slug, name: room.name },
    });
    // Nothing was posted in the room: the history holds no message.
    ownerSocket.send({ type: "fetch", roomId: room.id, afterSeq: 0 });
    const page = await ownerSocket.next((f) => f.type === "history" && f.roomId === room.id);
    expect(page.messages).toEqual([]);
    expect(ownerSocket.frames.slice(before).some((f: Frame) => f.type === "message")).toBe(false);
  });

  it("posts a room answer live, as the user who ran it, via /name", async () => {
    const room = await newRoom();
    const name = unique("deploy");
    replies.set(`/${name}`, ({ text }) => ({ status: 200, body: `Deploying ${text}…` }));
    await made({ name, response: "room" });
    const heard = ownerSocket.next(
      (f) => f.type === "message" && (f.message as WireMessage).text === "Deploying main…",
    ) as Promise<Frame & { message: WireMessage }>;
    expect(await run(room.id, name, "main")).toEqual({ ok: true, text: null });
    const { message } = await heard;
    expect(message).toMatchObject({
      roomId: room.id,
      author: { name: "Olive" },
      via: { webhook: `/${name}` },
    });
    expect(message.author.bot).toBeUndefined();
  });

  it("lists commands for every user, but only admins register and delete them", async () => {
    const name = unique("list");
    const command = await made({ name, description: "Lists things" });
    const listed = await fn<{ commands: { name: string; usage: string; description: string }[] }>(
      "listCommandsFn",
      undefined,
      member.cookie,
      "GET",
    );
    expect(listed.commands).toContainEqual({
      name,
      usage: `/${name} [text]`,
      description: "Lists things",
    });
    expect(JSON.stringify(listed)).not.toContain(command.secret);
    const refused = await callServerFn(
      server.url,
      "createCommandFn",
      {
        name: unique("nope"),
        description: "x",
        url: `${serviceUrl}/x`,
        response: "room",
      },
      { cookie: member.cookie },
    );
    expect(JSON.stringify(refused)).toMatch(/admin/i);
    const notDeleted = await callServerFn(
      server.url,
      "deleteCommandFn",
      { id: command.command.id },
      {
        cookie: member.cookie,
      },
    );
    expect(JSON.stringify(notDeleted)).toMatch(/admin/i);
    const table = await fn<{ commands: { id: string }[] }>(
      "adminCommandsFn",
      undefined,
      owner.cookie,
      "GET",
    );
    expect(table.commands.map((c) => c.id)).toContain(command.command.id);
    expect(JSON.stringify(table)).not.toContain(command.secret);
  });

  it("refuses a duplicate, a built-in, a bad name and a bad URL, registering nothing", async () => {
    const name = unique("dup");
    await made({ name });
    const count = () => rows("select id from slash_command").length;
    const before = count();
    expect(await register({ name })).toEqual({ ok: false, error: `/${name} exists already.` });
    expect(await register({ name: "/topic" })).toEqual({
      ok: false,
      error: "/topic is a built-in command.",
    });
    expect(await register({ name: "9lives" })).toMatchObject({ ok: false });
    expect(await register({ name: unique("u"), url: "ftp://example.com/x" })).toMatchObject({
      ok: false,
      error: "The target URL must start with http:// or https://.",
    });
    expect(await register({ name: unique("r"), response: "everyone" })).toEqual({
      ok: false,
      error: "Choose where the answer goes.",
    });
    expect(count()).toBe(before);
  });

  it("refuses someone outside the room without calling the service", async () => {
    const room = await newRoom(); // public, and Milo has not joined it
    const name = unique("outside");
    await made({ name });
    expect(await run(room.id, name, "x", member.cookie)).toEqual({
      ok: false,
      error: "Join this room to run commands in it.",
    });
    expect(received.some((r) => r.path === `/${name}`)).toBe(false);
  });

  it("words a failing, slow or forbidden service, and an answer that may not be posted", async () => {
    const room = await newRoom();
    const failing = unique("fails");
    replies.set(`/${failing}`, () => ({ status: 500, body: "boom" }));
    await made({ name: failing });
    expect(await run(room.id, failing, "")).toEqual({
      ok: false,
      error: `/${failing} failed: its service answered HTTP 500.`,
    });
    const slow = unique("slow");
    replies.set(`/${slow}`, () => ({ status: 200, hang: true }));
    await made({ name: slow });
    expect(await run(room.id, slow, "")).toEqual({
      ok: false,
      error: `/${slow} failed: its service did not answer in time.`,
    });
    // localhost is loopback and not on the allow list: the SSRF guard refuses it.
    const local = unique("local");
    await made({ name: local, url: `${serviceUrl.replace("127.0.0.1", "localhost")}/local` });
    const ran = await run(room.id, local, "");
    expect(ran).toMatchObject({ ok: false });
    expect((ran as Refused).error).toMatch(
      new RegExp(`^/${local} failed: its service could not be reached \\(localhost is`),
    );
    expect(received.some((r) => r.path === "/local")).toBe(false);
    const huge = unique("huge");
    replies.set(`/${huge}`, () => ({
      status: 200,
      body: JSON.stringify({ text: "x".repeat(4001) }),
    }));
    await made({ name: huge, response: "room" });
    expect(await run(room.id, huge, "")).toEqual({
      ok: false,
      error: `/${huge} failed: its answer is over 4000 characters.`,
    });
  });

  it("a room answer follows the room's policy: an archived room refuses it", async () => {
    const room = await newRoom();
    const name = unique("archived");
    await made({ name, response: "room" });
    const archived = await fn<{ ok: boolean }>("adminArchiveRoomFn", {
      roomId: room.id,
      archived: true,
    });
    expect(archived.ok).toBe(true);
    const ran = await run(room.id, name, "x");
    expect(ran).toMatchObject({ ok: false });
    expect((ran as Refused).error).toMatch(
      new RegExp(`^/${name} answered, but its answer was not posted: `),
    );
  });

  it("an unknown or deleted command is unknown; both changes are audited", async () => {
    const room = await newRoom();
    const name = unique("gone");
    const command = await made({ name });
    expect(await fn<{ ok: boolean }>("deleteCommandFn", { id: command.command.id })).toEqual({
      ok: true,
    });
    expect(await fn<Refused>("deleteCommandFn", { id: command.command.id })).toEqual({
      ok: false,
      error: "That command was deleted already.",
    });
    expect(await run(room.id, name, "")).toEqual({
      ok: false,
      error: `Unknown command /${name}. Type /help for the list.`,
    });
    const audit = rows<{ action: string; details: string }>(
      "select action, details from audit_log where action like 'command.%' order by at",
    ).filter((row) => JSON.parse(row.details).commandId === command.command.id);
    expect(audit.map((row) => row.action)).toEqual(["command.create", "command.delete"]);
    expect(audit.map((row) => row.details).join()).not.toContain(command.secret);
  });

  it("rate limits each user's commands like their sends", async () => {
    const room = await newRoom();
    const name = unique("often");
    await made({ name });
    // More at once than the burst allows (PARLEY_RATE_BURST, 30 here).
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => run(room.id, name, String(i))),
    );
    const last = answers.find((answer) => !answer.ok);
    const allowed = answers.filter((answer) => answer.ok).length;
    expect(allowed).toBeGreaterThan(0);
    // A refused run never reaches the service.
    expect(received.filter((r) => r.path === `/${name}`)).toHaveLength(allowed);
    expect((last as Refused).error).toMatch(
      new RegExp(`^Slow down: try /${name} again in \\d+ s\\.$`),
    );
  });
});
