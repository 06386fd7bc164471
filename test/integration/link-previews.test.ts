import { existsSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Frame, type TestSocket } from "../helpers/clients";
import {
  createRoom,
  joinAs,
  type Member,
  openDb,
  sendAndAck,
  type WireMessage,
} from "../helpers/integration-extra";
import { bytes, html, redirect, startSite, type TestSite } from "../helpers/preview-site";
import { type RunningServer, startServer } from "../helpers/server";

// Link previews (issue 12) on the built server: `site` runs on loopback and
// is on PARLEY_LINK_PREVIEW_ALLOW_HOSTS; `target` (IPv4) and `target6`
// (IPv6) are loopback servers that are not, and must never get a request.
let site: TestSite;
let target: TestSite;
let target6: TestSite;
let server: RunningServer;

beforeAll(async () => {
  [site, target, target6] = await Promise.all([startSite(), startSite(), startSite("::1")]);
  // A JPEG with EXIF, larger than a thumbnail: what is stored must be neither.
  const photo = await sharp({
    create: { width: 1200, height: 800, channels: 3, background: "#2a6" },
  })
    .jpeg()
    .withExif({ IFD0: { Copyright: "exif-marker" } })
    .toBuffer();
  site.route(
    "/article",
    html(`
      <meta property="og:title" content="Parley &amp; friends ship files">
      <meta property="og:description" content="Uploads, previews and a guard.">
      <meta property="og:site_name" content="Loopback News">
      <meta property="og:image" content="/img/card.jpg">
      <title>ignored</title>`),
  );
  site.route("/img/card.jpg", bytes("image/jpeg", photo));
  site.route("/to-target", redirect(`${target.url}/secret`));
  site.route("/notes.txt", bytes("text/plain", "<title>Not a page</title>"));
  site.route("/huge", bytes("text/html", `<title>huge</title>${"z".repeat(1024 * 1024 + 10)}`));
  server = await startServer({
    // info: the refusals are read from the server's log.
    env: { PARLEY_LINK_PREVIEW_ALLOW_HOSTS: `127.0.0.1:${site.port}`, LOG_LEVEL: "info" },
  });
});
afterAll(async () => {
  await server?.stop();
  await Promise.all([site?.close(), target?.close(), target6?.close()]);
});

/** Polls until `check` is true (or fails after `timeoutMs`). */
async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The server's JSON log lines so far. */
function logLines(of: RunningServer): Record<string, unknown>[] {
  return of
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Waits for the server's "link preview not made" line for `host` whose reason matches. */
async function refusedFor(host: string, reason: RegExp): Promise<string> {
  let found: string | undefined;
  await until(() => {
    const line = logLines(server).find(
      (l) => l.msg === "link preview not made" && l.host === host && reason.test(String(l.reason)),
    );
    found = line ? String(line.reason) : undefined;
    return found !== undefined;
  }, `a refused preview of ${host} (${reason})`);
  return found as string;
}

const storedPreview = (messageId: string): string | null => {
  const db = openDb(server.dataDir);
  try {
    const row = db.prepare("SELECT preview FROM message WHERE id = ?").get(messageId) as {
      preview: string | null;
    };
    return row.preview;
  } finally {
    db.close();
  }
};

const withPreview = (id: string) => (f: Frame) =>
  f.type === "updated" &&
  (f.message as WireMessage).id === id &&
  (f.message as WireMessage).preview !== undefined;

/** A room Ann and Bob opened and subscribed to. */
async function twoInARoom(): Promise<{ roomId: string; ann: Member; bob: Member }> {
  const room = createRoom(server.dataDir);
  const ann = await joinAs(server.url, [room.slug]);
  const bob = await joinAs(server.url, [room.slug]);
  for (const socket of [ann.socket, bob.socket]) {
    socket.send({ type: "subscribe", roomId: room.id });
    await socket.next((f) => f.type === "subscribed" && f.roomId === room.id);
  }
  return { roomId: room.id, ann, bob };
}

async function answerOf(socket: TestSocket, frame: object): Promise<Frame> {
  const ref = Math.random().toString(36).slice(2, 12);
  socket.send({ ...frame, ref });
  return socket.next((f) => (f.type === "ok" || f.type === "error") && f.ref === ref);
}

describe("link previews", () => {
  it("a page on the allow list gets its preview: members see it live, with its stored image", async () => {
    const { roomId, ann, bob } = await twoInARoom();
    const { lastRev } = (await bob.socket.next(
      (f) => f.type === "subscribed" && f.roomId === roomId,
    )) as unknown as { lastRev: number };
    const link = `${site.url}/article`;
    const message = await sendAndAck(ann.socket, roomId, `read this: ${link}.`);
    const acked = performance.now();
    expect(message.preview).toBeUndefined(); // the ack never waits for the other site

    const updated = (await bob.socket.next(withPreview(message.id), 10_000)).message as WireMessage;
    console.log(
      `preview (page, 1200x800 JPEG, thumbnail, store) reached the other member ${Math.round(performance.now() - acked)} ms after the ack`,
    );
    expect(updated.rev).toBeGreaterThan(lastRev);
    expect(updated.preview).toMatchObject({
      url: link,
      title: "Parley & friends ship files",
      description: "Uploads, previews and a guard.",
      siteName: "Loopback News",
      image: { type: "image/webp", image: true, name: "preview.webp" },
    });
    const image = updated.preview?.image;
    expect(Math.max(image?.width ?? 0, image?.height ?? 0)).toBe(400);
    await ann.socket.next(withPreview(message.id)); // the author too

    // The image is a file of the room, of purpose "preview", by the author; no EXIF kept.
    const db = openDb(server.dataDir);
    const file = db.prepare("SELECT * FROM file WHERE id = ?").get(image?.id as string) as Record<
      string,
      unknown
    >;
    db.close();
    expect(file).toMatchObject({
      purpose: "preview",
      room_id: roomId,
      message_id: message.id,
      uploader_id: ann.userId,
      content_type: "image/webp",
    });
    const blob = join(server.dataDir, "files", String(file.blob_key));
    const meta = await sharp(blob).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 400 });
    expect(meta.exif).toBeUndefined();
  });

  it("a member away while the preview arrived gets it by the afterRev replay", async () => {
    const { roomId, ann, bob } = await twoInARoom();
    const { lastRev } = (await bob.socket.next(
      (f) => f.type === "subscribed" && f.roomId === roomId,
    )) as unknown as { lastRev: number };
    // The page answers only once Bob has gone, so the preview lands while he is away.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const page = html(`<meta property="og:title" content="Late news">`);
    site.route("/gated", (request, response) => void gate.then(() => page(request, response)));
    const message = await sendAndAck(ann.socket, roomId, `${site.url}/gated`);
    await bob.socket.next(
      (f) => f.type === "message" && (f.message as WireMessage).id === message.id,
    );
    bob.socket.close();
    await bob.socket.closed;
    release();
    await ann.socket.next(withPreview(message.id), 10_000);

    const back = await connect(server.url, bob.cookie);
    back.send({ type: "subscribe", roomId, afterSeq: message.seq, afterRev: lastRev });
    const replay = await back.next(
      (f) =>
        f.type === "history" &&
        (f.messages as WireMessage[]).some((m) => m.id === message.id && m.preview),
    );
    const replayed = (replay.messages as WireMessage[]).find((m) => m.id === message.id);
    expect(replayed?.preview).toEqual({ url: `${site.url}/gated`, title: "Late news" });
    back.close();
  });

  it("the author removes the preview: updated without it, its image gone; another member is refused", async () => {
    const { roomId, ann, bob } = await twoInARoom();
    const message = await sendAndAck(ann.socket, roomId, `${site.url}/article`);
    const withIt = (await bob.socket.next(withPreview(message.id), 10_000)).message as WireMessage;
    const imageId = withIt.preview?.image?.id as string;

    const refused = await answerOf(bob.socket, {
      type: "remove_preview",
      roomId,
      messageId: message.id,
    });
    expect(refused).toMatchObject({ type: "error", code: "forbidden" });
    expect(storedPreview(message.id)).toContain("Parley & friends");

    const db = openDb(server.dataDir);
    const { blob_key } = db.prepare("SELECT blob_key FROM file WHERE id = ?").get(imageId) as {
      blob_key: string;
    };
    db.close();
    const blob = join(server.dataDir, "files", blob_key);
    expect(existsSync(blob)).toBe(true);

    const done = await answerOf(ann.socket, {
      type: "remove_preview",
      roomId,
      messageId: message.id,
    });
    expect(done.type).toBe("ok");
    const without = (
      await bob.socket.next(
        (f) =>
          f.type === "updated" &&
          (f.message as WireMessage).id === message.id &&
          (f.message as WireMessage).rev > withIt.rev,
      )
    ).message as WireMessage;
    expect(without.preview).toBeUndefined();
    expect(without.text).toBe(message.text);
    expect(storedPreview(message.id)).toBe("removed");
    const after = openDb(server.dataDir);
    expect(after.prepare("SELECT id FROM file WHERE id = ?").get(imageId)).toBeUndefined();
    after.close();
    await until(() => !existsSync(blob), "the preview image's blob to be deleted");
  });

  it("remove_preview on a deleted message or by a non-member is refused", async () => {
    const { roomId, ann } = await twoInARoom();
    const message = await sendAndAck(ann.socket, roomId, "no link at all");
    expect(
      await answerOf(ann.socket, { type: "delete", roomId, messageId: message.id }),
    ).toMatchObject({ type: "ok" });
    expect(
      await answerOf(ann.socket, { type: "remove_preview", roomId, messageId: message.id }),
    ).toMatchObject({ type: "error", code: "not_found" });
    const eve = await joinAs(server.url);
    expect(
      await answerOf(eve.socket, { type: "remove_preview", roomId, messageId: message.id }),
    ).toMatchObject({ type: "error", code: "forbidden" });
  });

  it("SSRF: loopback not on the list, [::1], the metadata address and a redirect to loopback are refused unfetched", async () => {
    const { roomId, ann } = await twoInARoom();
    const cases: [string, string, RegExp][] = [
      [`${target.url}/secret`, `127.0.0.1:${target.port}`, /loopback/],
      [`${target6.url}/secret`, `[::1]:${target6.port}`, /loopback/],
      ["http://169.254.169.254/latest/meta-data/", "169.254.169.254", /metadata/],
      [`${site.url}/to-target`, `127.0.0.1:${site.port}`, /127\.0\.0\.1.*loopback/],
    ];
    for (const [url, host, reason] of cases) {
      const message = await sendAndAck(ann.socket, roomId, `look ${url}`);
      await refusedFor(host, reason);
      expect(storedPreview(message.id)).toBeNull();
    }
    expect(target.hits).toEqual([]);
    expect(target6.hits).toEqual([]);
    // The redirect itself was fetched from the allowed site, and no further.
    expect(site.hits).toContain("/to-target");
  });

  it("a non-HTML page and a page over 1 MB give no preview", async () => {
    const { roomId, ann } = await twoInARoom();
    const host = `127.0.0.1:${site.port}`;
    const text = await sendAndAck(ann.socket, roomId, `${site.url}/notes.txt`);
    await refusedFor(host, /content type text\/plain/);
    const huge = await sendAndAck(ann.socket, roomId, `${site.url}/huge`);
    await refusedFor(host, /size cap/);
    expect(storedPreview(text.id)).toBeNull();
    expect(storedPreview(huge.id)).toBeNull();
  });

  it("PARLEY_LINK_PREVIEWS=off fetches nothing", async () => {
    const off = await startServer({
      env: {
        PARLEY_LINK_PREVIEWS: "off",
        PARLEY_LINK_PREVIEW_ALLOW_HOSTS: `127.0.0.1:${site.port}`,
        LOG_LEVEL: "debug",
      },
    });
    try {
      const room = createRoom(off.dataDir);
      const ann = await joinAs(off.url, [room.slug]);
      const message = await sendAndAck(ann.socket, room.id, `${site.url}/article?off=1`);
      await until(
        () => logLines(off).some((l) => String(l.msg).startsWith("link preview skipped")),
        "the skipped preview",
      );
      expect(site.hits.filter((path) => path.includes("off=1"))).toEqual([]);
      expect(message.preview).toBeUndefined();
    } finally {
      await off.stop();
    }
  });
});
