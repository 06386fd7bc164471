import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreviewImage } from "../../src/ports";
import type { LinkPreview } from "../../src/protocol/frames";
import { createFsBlobStore } from "../../src/server/files/fs-blob-store.server";
import {
  type GuardOptions,
  guardedGet,
  PAGE_MAX_BYTES,
  type Resolver,
} from "../../src/server/previews/guarded-fetch.server";
import { makePreview, PAGE_TYPES } from "../../src/server/previews/make-preview.server";
import { wireMessage } from "../helpers/fixtures";
import { bytes, html, redirect, startSite, type TestSite } from "../helpers/preview-site";

// The SSRF guard at the fetcher (issue 12), against real loopback servers:
// `site` is on the allow list, `target` is not and must never be reached.
let site: TestSite;
let target: TestSite;
let options: GuardOptions;

beforeAll(async () => {
  site = await startSite();
  target = await startSite();
  options = { allowHosts: [`127.0.0.1:${site.port}`], accept: PAGE_TYPES };
  site.route("/page", html(`<meta property="og:title" content="Hi">`));
  site.route("/to-target", redirect(`${target.url}/secret`));
  site.route("/text", bytes("text/plain", "<title>not html</title>"));
  site.route("/json", bytes("application/json", "{}"));
  const big = `<title>big</title>${"x".repeat(PAGE_MAX_BYTES)}`;
  site.route("/big-declared", bytes("text/html", big));
  site.route("/big-chunked", (_request, response) => {
    response.writeHead(200, { "content-type": "text/html" }); // no length: chunked
    const chunk = "y".repeat(64 * 1024);
    let sent = 0;
    const more = () => {
      while (sent < PAGE_MAX_BYTES + chunk.length * 2) {
        sent += chunk.length;
        if (!response.write(chunk)) return void response.once("drain", more);
      }
      response.end();
    };
    more();
  });
  site.route("/slow", (_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.write("<html><head>");
    // Never ends on its own: the fetcher's deadline has to.
  });
  for (let i = 1; i <= 4; i++) {
    site.route(`/hop${i}`, redirect(i === 4 ? "/page" : `/hop${i + 1}`));
  }
});
afterAll(async () => {
  await site?.close();
  await target?.close();
});

/** A resolver that answers fixed addresses and counts its calls. */
function fixed(answers: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    const found = answers[hostname];
    if (!found) throw new Error(`ENOTFOUND ${hostname}`);
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }) as const);
  };
  return Object.assign(resolve, { calls });
}

describe("guarded fetch", () => {
  it("fetches an allowed loopback page", async () => {
    const got = await guardedGet(`${site.url}/page`, options);
    expect(got.ok && got.body.toString()).toContain("og:title");
  });

  it("refuses loopback not on the allow list, and the target sees no request", async () => {
    const got = await guardedGet(`${target.url}/secret`, options);
    expect(got).toEqual({ ok: false, reason: expect.stringMatching(/loopback/) });
    expect(target.hits).toEqual([]);
  });

  it("refuses [::1], 169.254.169.254 and 0.0.0.0 before connecting", async () => {
    for (const [url, why] of [
      ["http://[::1]:9/", /loopback/],
      ["http://169.254.169.254/latest/meta-data/", /metadata/],
      ["http://0.0.0.0:9/", /unspecified/],
      ["http://[::ffff:127.0.0.1]:9/", /IPv4-mapped/],
      ["http://2130706433:9/", /loopback/],
    ] as const) {
      expect(await guardedGet(url, options)).toEqual({
        ok: false,
        reason: expect.stringMatching(why),
      });
    }
  });

  it("refuses a name that resolves to 10.x, or to a public and a private address", async () => {
    const resolve = fixed({
      "intranet.example": ["10.1.2.3"],
      "mixed.example": ["93.184.215.14", "192.168.0.10"],
    });
    const intranet = await guardedGet("http://intranet.example/", { ...options, resolve });
    expect(intranet).toEqual({
      ok: false,
      reason: "intranet.example is 10.1.2.3, private (10/8, 172.16/12, 192.168/16)",
    });
    const mixed = await guardedGet("http://mixed.example/", { ...options, resolve });
    expect(mixed).toEqual({ ok: false, reason: expect.stringMatching(/192\.168\.0\.10, private/) });
  });

  it("a name that resolves to the target's loopback address is refused: no request reaches it", async () => {
    const resolve = fixed({ "rebind.example": ["127.0.0.1"] });
    const got = await guardedGet(`http://rebind.example:${target.port}/`, {
      ...options,
      resolve,
    });
    expect(got.ok).toBe(false);
    expect(target.hits).toEqual([]);
  });

  it("connects to the vetted address itself: Node does no look-up of its own", async () => {
    // "pinned.example" exists only in this resolver: a second look-up by
    // Node (the rebinding window) would fail with ENOTFOUND.
    const resolve = fixed({ "pinned.example": ["127.0.0.1"] });
    const before = site.hits.length;
    const got = await guardedGet(`http://pinned.example:${site.port}/page`, {
      ...options,
      allowHosts: [`pinned.example:${site.port}`],
      resolve,
    });
    expect(got.ok).toBe(true);
    expect(resolve.calls).toEqual(["pinned.example"]);
    expect(site.hosts.slice(before)).toEqual([`pinned.example:${site.port}`]);
  });

  it("a redirect from the allowed site to loopback not on the list is refused unfetched", async () => {
    const got = await guardedGet(`${site.url}/to-target`, options);
    expect(got).toEqual({ ok: false, reason: expect.stringMatching(/127\.0\.0\.1.*loopback/) });
    expect(target.hits).toEqual([]);
  });

  it("follows at most 3 redirects", async () => {
    expect((await guardedGet(`${site.url}/hop2`, options)).ok).toBe(true); // 3 hops
    expect(await guardedGet(`${site.url}/hop1`, options)).toEqual({
      ok: false,
      reason: "too many redirects",
    });
  });

  it("reads only HTML: text/plain and JSON are refused", async () => {
    expect(await guardedGet(`${site.url}/text`, options)).toEqual({
      ok: false,
      reason: "content type text/plain",
    });
    expect(await guardedGet(`${site.url}/json`, options)).toEqual({
      ok: false,
      reason: "content type application/json",
    });
  });

  it("refuses a body over 1 MB, declared or streamed", async () => {
    for (const path of ["/big-declared", "/big-chunked"]) {
      expect(await guardedGet(`${site.url}${path}`, options)).toEqual({
        ok: false,
        reason: "body over the size cap",
      });
    }
  });

  it("gives up at the deadline on a page that never ends (the figure is printed)", async () => {
    const started = performance.now();
    const got = await guardedGet(`${site.url}/slow`, { ...options, timeoutMs: 300 });
    const took = Math.round(performance.now() - started);
    console.log(`a never-ending page was cut after ${took} ms (deadline 300 ms)`);
    expect(got).toEqual({ ok: false, reason: "timed out after 300 ms" });
  });

  it("the deadline covers a name look-up that never answers", async () => {
    const resolve: Resolver = () => new Promise(() => {});
    expect(
      await guardedGet("http://hangs.example/", { ...options, resolve, timeoutMs: 200 }),
    ).toEqual({ ok: false, reason: "timed out after 200 ms" });
  });

  it("refuses other schemes and URLs with credentials", async () => {
    expect(await guardedGet("ftp://127.0.0.1/", options)).toEqual({
      ok: false,
      reason: "scheme ftp:",
    });
    expect(await guardedGet(`http://u:p@127.0.0.1:${site.port}/page`, options)).toEqual({
      ok: false,
      reason: "credentials in the URL",
    });
    expect(await guardedGet("not a url", options)).toEqual({ ok: false, reason: "not a URL" });
  });
});

describe("making a preview (page, card, image, store)", () => {
  const png = () =>
    sharp({ create: { width: 50, height: 30, channels: 4, background: "#00f" } })
      .png()
      .toBuffer();

  /** A real folder store and a message store that records (or refuses) the attach. */
  function deps(accept = true) {
    const dir = mkdtempSync(join(tmpdir(), "parley-previews-"));
    const attached: { preview: LinkPreview; image?: PreviewImage }[] = [];
    return {
      dir,
      attached,
      blobsIn: () =>
        readdirSync(join(dir), { recursive: true }).filter((p) =>
          String(p).startsWith("previews/"),
        ),
      deps: {
        blobs: createFsBlobStore(dir),
        guard: { allowHosts: options.allowHosts },
        messages: {
          attachPreview: async (
            roomId: string,
            id: string,
            preview: LinkPreview,
            image?: PreviewImage,
          ) => {
            if (!accept) return undefined;
            attached.push({ preview, ...(image && { image }) });
            return wireMessage(1, { id, roomId, preview });
          },
        },
      },
    };
  }
  const job = (path: string) => ({
    roomId: "r",
    messageId: "m",
    authorId: "u-ann",
    url: `${site.url}${path}`,
  });

  it("a small image is kept at its size, as WebP, owned by the author", async () => {
    site.route("/small-img.png", bytes("image/png", await png()));
    site.route(
      "/with-small",
      html(`<title>Small</title><meta property="og:image" content="small-img.png">`),
    );
    const made = deps();
    const result = await makePreview(job("/with-small"), made.deps);
    expect(result.ok).toBe(true);
    expect(made.attached[0]?.image).toMatchObject({
      uploaderId: "u-ann",
      contentType: "image/webp",
      width: 50,
      height: 30,
    });
    expect(made.blobsIn()).toHaveLength(1);
  });

  it("an image that does not decode, or sits on a refused address, leaves the preview without it", async () => {
    site.route("/fake.png", bytes("image/png", "this is not a PNG"));
    site.route(
      "/bad-img",
      html(`<title>Bad image</title><meta property="og:image" content="/fake.png">`),
    );
    site.route(
      "/far-img",
      html(`<title>Far image</title><meta property="og:image" content="${target.url}/x.png">`),
    );
    site.route("/svg-img.svg", bytes("image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>"));
    site.route(
      "/svg-img",
      html(`<title>SVG</title><meta property="og:image" content="/svg-img.svg">`),
    );
    for (const [path, note] of [
      ["/bad-img", /image: not decodable/],
      ["/far-img", /image: 127\.0\.0\.1 is loopback/],
      ["/svg-img", /image: content type image\/svg\+xml/],
    ] as const) {
      const made = deps();
      const result = await makePreview(job(path), made.deps);
      expect(result).toMatchObject({ ok: true, imageNote: expect.stringMatching(note) });
      expect(made.attached[0]?.preview.image).toBeUndefined();
      expect(made.blobsIn()).toEqual([]);
    }
    expect(target.hits).toEqual([]);
  });

  it("reads the page in the charset its response names", async () => {
    site.route("/latin1", (_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=ISO-8859-1" });
      response.end(Buffer.from("<title>Caf\u00e9 cr\u00e8me</title>", "latin1"));
    });
    const made = deps();
    const result = await makePreview(job("/latin1"), made.deps);
    expect(result.ok).toBe(true);
    expect(made.attached[0]?.preview.title).toBe("Café crème");
  });

  it("a page without a title gives nothing", async () => {
    site.route("/untitled", html(`<meta property="og:description" content="no title">`));
    const made = deps();
    expect(await makePreview(job("/untitled"), made.deps)).toEqual({
      ok: false,
      reason: "the page has no title",
    });
    expect(made.attached).toEqual([]);
  });

  it("when the store refuses (message gone, preview removed) the stored image blob is deleted", async () => {
    site.route("/img-ok.png", bytes("image/png", await png()));
    site.route(
      "/gone",
      html(`<title>Gone</title><meta property="og:image" content="/img-ok.png">`),
    );
    const made = deps(false);
    expect(await makePreview(job("/gone"), made.deps)).toEqual({
      ok: false,
      reason: "the message is gone or its preview was removed",
    });
    expect(made.blobsIn()).toEqual([]);
  });
});
