import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, getPage, signUp, upgradeStatus } from "../helpers/clients";
import { type RunningServer, startServer } from "../helpers/server";

describe("upgrade", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("refuses an upgrade without a cookie with 401", async () => {
    expect(await upgradeStatus(server.url, { origin: server.url })).toBe(401);
  });

  it("refuses a foreign Origin with 403 even with a valid cookie", async () => {
    const { cookie } = await signUp(server.url);
    expect(await upgradeStatus(server.url, { cookie, origin: "https://evil.example" })).toBe(403);
  });

  it("accepts a valid session and sends ready naming the user", async () => {
    const { cookie, name } = await signUp(server.url, { name: "Ada" });
    await getPage(server.url, "/r/general", cookie);
    const socket = await connect(server.url, cookie);
    const ready = socket.frames[0];
    expect(ready).toMatchObject({ type: "ready", v: 2, user: { name } });
    expect(((ready?.rooms ?? []) as { slug: string }[]).map((r) => r.slug)).toContain("general");
    socket.close();
  });
});
