import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPage } from "../helpers/clients";
import {
  closeAll,
  createRoom,
  joinAs,
  type Member,
  roomIdFromReady,
  sendAndAck,
  startServeLike,
} from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";

let server: RunningServer;
let user: Member;

beforeAll(async () => {
  server = await startServeLike();
  user = await joinAs(server.url);
});
afterAll(async () => {
  await closeAll([user.socket]);
  await server?.stop();
});

const label = (n: number) => `[ssr-msg-${String(n).padStart(3, "0")}]`;

describe("server-rendered room page", () => {
  it("renders the newest 50 messages and not the older ones", async () => {
    const room = createRoom(server.dataDir);
    const joined = await getPage(server.url, `/r/${room.slug}`, user.cookie);
    expect(joined.status).toBe(200);
    const total = 55;
    for (let n = 1; n <= total; n++) await sendAndAck(user.socket, room.id, label(n));

    const page = await getPage(server.url, `/r/${room.slug}`, user.cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    for (let n = total - 49; n <= total; n++) expect(page.html, label(n)).toContain(label(n));
    for (let n = 1; n <= total - 50; n++) expect(page.html, label(n)).not.toContain(label(n));
    // Rendered in seq order: oldest shown first, newest last.
    expect(page.html.indexOf(label(total - 49))).toBeLessThan(page.html.indexOf(label(total)));
  });

  it("escapes message text instead of rendering it as HTML", async () => {
    const general = roomIdFromReady(user.socket, "general");
    const tag = "<img src=x onerror=alert(1)>";
    const breakout = "</script><script>alert(2)</script>";
    await sendAndAck(user.socket, general, tag);
    await sendAndAck(user.socket, general, breakout);

    const { status, html } = await getPage(server.url, "/r/general", user.cookie);
    expect(status).toBe(200);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain(tag);
    // Neither the markup nor the dehydrated loader data may close a script early.
    expect(html).not.toContain("<script>alert(2)");
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  it("redirects to /sign-in without a session", async () => {
    const page = await getPage(server.url, "/r/general");
    expect(page.status).toBeGreaterThanOrEqual(300);
    expect(page.status).toBeLessThan(400);
    expect(new URL(page.headers.get("location") ?? "", server.url).pathname).toBe("/sign-in");
  });

  it("redirects to /sign-in with a forged session cookie", async () => {
    const page = await getPage(
      server.url,
      "/r/general",
      "better-auth.session_token=forged.c2lnbmF0dXJl",
    );
    expect(page.status).toBeGreaterThanOrEqual(300);
    expect(page.status).toBeLessThan(400);
    expect(new URL(page.headers.get("location") ?? "", server.url).pathname).toBe("/sign-in");
  });

  it("answers 404 for a room that does not exist, and does not create it", async () => {
    const page = await getPage(server.url, "/r/does-not-exist", user.cookie);
    expect(page.status).toBe(404);
    expect(page.html).toContain("No such room");
    const again = await getPage(server.url, "/r/does-not-exist", user.cookie);
    expect(again.status).toBe(404);
  });
});
