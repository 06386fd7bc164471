import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_NOTIFY_SETTINGS } from "../../src/protocol/frames";
import { connect, type Frame, getPage, signUp } from "../helpers/clients";
import { type RunningServer, startServer } from "../helpers/server";

type Summary = { id: string; slug: string; notify?: unknown };

describe("notification preferences over the socket (issue 13)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  const general = (ready: Frame) =>
    (ready.rooms as Summary[]).find((room) => room.slug === "general");

  it("stores a room's prefs and the settings, tells every socket of the user, and ready carries them", async () => {
    const { cookie } = await signUp(server.url, { name: "Prue" });
    await getPage(server.url, "/r/general", cookie);
    const [one, two] = [await connect(server.url, cookie), await connect(server.url, cookie)];
    const ready = one.frames[0] ?? { type: "none" };
    expect(ready.notifySettings).toEqual(DEFAULT_NOTIFY_SETTINGS);
    const room = general(ready);
    if (!room) throw new Error("general not in ready");
    // The defaults are left out of the summary.
    expect(room.notify).toBeUndefined();

    one.send({ type: "notify_prefs", v: 2, ref: "p1", roomId: room.id, level: "all", muted: true });
    const told = (f: Frame) => f.type === "notify_prefs" && f.roomId === room.id;
    for (const socket of [one, two]) {
      expect(await socket.next(told)).toMatchObject({ notify: { level: "all", muted: true } });
    }
    await one.next((f) => f.type === "ok" && f.ref === "p1");

    const settings = { defaultLevel: "nothing", email: false, showText: false };
    two.send({ type: "notify_settings", v: 2, ref: "s1", settings });
    for (const socket of [one, two]) {
      expect(await socket.next((f) => f.type === "notify_settings")).toMatchObject({ settings });
    }
    await two.next((f) => f.type === "ok" && f.ref === "s1");
    one.close();
    two.close();

    const again = await connect(server.url, cookie);
    const next = again.frames[0] ?? { type: "none" };
    expect(next.notifySettings).toEqual(settings);
    expect(general(next)?.notify).toEqual({ level: "all", muted: true });
    again.close();
  });

  it("refuses prefs for an unknown room and a level that does not exist", async () => {
    const { cookie } = await signUp(server.url, { name: "Quill" });
    const socket = await connect(server.url, cookie);
    socket.send({
      type: "notify_prefs",
      v: 2,
      ref: "x1",
      roomId: "nope",
      level: null,
      muted: true,
    });
    expect(await socket.next((f) => f.type === "error" && f.ref === "x1")).toMatchObject({
      code: "not_found",
    });
    socket.send({ type: "notify_prefs", v: 2, ref: "x2", roomId: "nope", level: "loud", muted: 1 });
    expect(await socket.next((f) => f.type === "error" && f.ref === "x2")).toMatchObject({
      code: "bad_frame",
    });
    expect(socket.frames.some((f) => f.type === "notify_prefs")).toBe(false);
    socket.close();
  });
});
