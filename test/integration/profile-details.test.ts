import { readdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AVATAR_MAX_BYTES,
  AVATAR_NOT_IMAGE,
  AVATAR_TOO_LARGE,
  AVATAR_UNREADABLE,
} from "../../src/core/profile-details";
import { joinAs, type Member } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Profiles (issue 14): the status, time zone and avatar through the real
// server. Each refusal names its field and cause; an expired status is never
// handed out; an avatar is checked for size and type, and stored cleaned.

type Details = {
  id: string;
  name: string;
  handle: string | null;
  role: string;
  status: { text: string; emoji: string | null; expiresAt: number | null } | null;
  timeZone: string | null;
  avatar: string | null;
};
type SaveAnswer =
  | { ok: true }
  | { ok: false; field: "status" | "emoji" | "clearAfter" | "timeZone" | null; error: string };

const good = { status: "Lunch", emoji: "🍜", clearAfter: "1h", timeZone: "Europe/Berlin" };

async function save(url: string, cookie: string, data: Record<string, unknown>) {
  const answer = await callServerFn<SaveAnswer>(url, "saveDetailsFn", data, { cookie });
  if (!answer.ok) throw new Error(`saveDetailsFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

async function card(url: string, cookie: string, userId: string) {
  const answer = await callServerFn<Details | null>(
    url,
    "profileCardFn",
    { userId },
    { cookie, method: "GET" },
  );
  if (!answer.ok) throw new Error(`profileCardFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

function postAvatar(url: string, cookie: string, body: Uint8Array, headers = {}) {
  return fetch(`${url}/api/avatar`, {
    method: "POST",
    headers: { cookie, origin: url, "content-type": "application/octet-stream", ...headers },
    body: new Uint8Array(body),
  });
}

const avatarBlobs = (dataDir: string) => {
  try {
    return readdirSync(join(dataDir, "files", "avatars"));
  } catch {
    return [];
  }
};

describe("profile details", () => {
  let server: RunningServer;
  let ann: Member;
  let bob: Member;
  beforeAll(async () => {
    server = await startServer();
    ann = await joinAs(server.url);
    bob = await joinAs(server.url);
    ann.socket.close();
    bob.socket.close();
  });
  afterAll(() => server?.stop());

  it("saves a status and zone that others see on the card, with the role", async () => {
    expect(await save(server.url, ann.cookie, good)).toEqual({
      ok: true,
      status: { text: "Lunch", emoji: "🍜", expiresAt: expect.any(Number) },
      timeZone: "Europe/Berlin",
    });
    const seen = await card(server.url, bob.cookie, ann.userId);
    expect(seen).toMatchObject({
      id: ann.userId,
      status: { text: "Lunch", emoji: "🍜" },
      timeZone: "Europe/Berlin",
      avatar: null,
    });
    const expiresAt = seen?.status?.expiresAt ?? 0;
    expect(Math.abs(expiresAt - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    // The first account to sign up on this server owns it.
    expect(seen?.role).toBe("owner");
    expect((await card(server.url, ann.cookie, bob.userId))?.role).toBe("member");
    expect(await card(server.url, bob.cookie, "no-such-user")).toBeNull();
  });

  it("refuses each bad field with a clear error and keeps what was stored", async () => {
    await save(server.url, bob.cookie, { ...good, status: "Before" });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ status: "x".repeat(101) }, "status", "A status can be at most 100 characters."],
      [{ emoji: "not one" }, "emoji", "Choose one emoji from the picker."],
      [{ emoji: "🍜🍜" }, "emoji", "Choose one emoji from the picker."],
      [{ clearAfter: "forever" }, "clearAfter", "Choose when to clear the status"],
      [{ timeZone: "Mars/Olympus" }, "timeZone", "Choose a time zone from the list."],
    ];
    for (const [change, field, error] of cases) {
      expect(await save(server.url, bob.cookie, { ...good, ...change })).toEqual({
        ok: false,
        field,
        error: expect.stringContaining(error),
      });
    }
    expect((await card(server.url, ann.cookie, bob.userId))?.status?.text).toBe("Before");
  });

  it("clears a status saved with no text and no emoji", async () => {
    // The read-time cut of an expired status is the store contract's test.
    await save(server.url, ann.cookie, { ...good, status: "", emoji: "" });
    expect((await card(server.url, bob.cookie, ann.userId))?.status).toBeNull();
  });

  it("refuses the card and the save without a session", async () => {
    const answer = await callServerFn(
      server.url,
      "profileCardFn",
      { userId: ann.userId },
      {
        method: "GET",
      },
    );
    expect(answer.ok).toBe(false);
  });

  it("stores an avatar as a small WebP, serves it to others, and removes it", async () => {
    const png = await sharp({
      create: { width: 900, height: 600, channels: 3, background: "#c33" },
    })
      .png()
      .toBuffer();
    const answer = await postAvatar(server.url, ann.cookie, png);
    expect(answer.status).toBe(200);
    const { avatar } = (await answer.json()) as { avatar: string };
    expect(avatar).toMatch(/^[0-9a-f-]{36}$/);
    expect((await card(server.url, bob.cookie, ann.userId))?.avatar).toBe(avatar);

    const served = await fetch(`${server.url}/avatars/${ann.userId}?v=${avatar}`, {
      headers: { cookie: bob.cookie },
    });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 256]);
    // Not to someone signed out.
    expect((await fetch(`${server.url}/avatars/${ann.userId}?v=${avatar}`)).status).toBe(404);

    // A second upload replaces the first blob.
    const again = await postAvatar(server.url, ann.cookie, png);
    const second = ((await again.json()) as { avatar: string }).avatar;
    expect(second).not.toBe(avatar);
    expect(avatarBlobs(server.dataDir)).toEqual([second]);

    const removed = await fetch(`${server.url}/api/avatar`, {
      method: "DELETE",
      headers: { cookie: ann.cookie, origin: server.url },
    });
    expect(await removed.json()).toEqual({ avatar: null });
    expect((await card(server.url, bob.cookie, ann.userId))?.avatar).toBeNull();
    expect(avatarBlobs(server.dataDir)).toEqual([]);
    expect(
      (await fetch(`${server.url}/avatars/${ann.userId}`, { headers: { cookie: bob.cookie } }))
        .status,
    ).toBe(404);
  });

  it("refuses an avatar too large, not a picture, or broken, storing nothing", async () => {
    const big = new Uint8Array(AVATAR_MAX_BYTES + 1);
    const tooLarge = await postAvatar(server.url, bob.cookie, big);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toEqual({ error: "too_large", message: AVATAR_TOO_LARGE });

    const text = await postAvatar(server.url, bob.cookie, Buffer.from("just some text"));
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ error: "not_image", message: AVATAR_NOT_IMAGE });

    const pdf = await postAvatar(server.url, bob.cookie, Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"));
    expect(pdf.status).toBe(415);

    // A PNG signature with nothing decodable after it.
    const broken = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from("IHDR garbage garbage garbage"),
    ]);
    const unreadable = await postAvatar(server.url, bob.cookie, broken);
    expect(unreadable.status).toBe(415);
    expect(((await unreadable.json()) as { message: string }).message).toMatch(
      new RegExp(`^(${AVATAR_UNREADABLE}|${AVATAR_NOT_IMAGE})$`),
    );
    expect((await card(server.url, ann.cookie, bob.userId))?.avatar).toBeNull();
    expect(avatarBlobs(server.dataDir)).toEqual([]);
  });

  it("refuses an avatar from another origin or without a session", async () => {
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    const foreign = await postAvatar(server.url, bob.cookie, png, {
      origin: "https://evil.example",
    });
    expect(foreign.status).toBe(403);
    const anonymous = await fetch(`${server.url}/api/avatar`, {
      method: "POST",
      headers: { origin: server.url },
      body: png,
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { message: string }).message).toBe(
      "Sign in to change your avatar.",
    );
  });

  it("looks avatars up in batches", async () => {
    const png = await sharp({ create: { width: 10, height: 10, channels: 3, background: "#0a0" } })
      .png()
      .toBuffer();
    const { avatar } = (await (await postAvatar(server.url, bob.cookie, png)).json()) as {
      avatar: string;
    };
    const answer = await callServerFn<Record<string, string>>(
      server.url,
      "avatarsFn",
      { ids: [ann.userId, bob.userId, "nobody"] },
      { cookie: ann.cookie },
    );
    expect(answer.ok && answer.result).toEqual({ [bob.userId]: avatar });
  });
});
