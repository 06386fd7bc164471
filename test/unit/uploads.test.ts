import { describe, expect, it } from "vitest";
import {
  readAnswer,
  startUpload,
  UploadError,
  type UploadXhr,
  uploadUrl,
} from "../../src/client/uploads";
import type { WireFile } from "../../src/protocol/frames";

const stored: WireFile = {
  id: "f1",
  name: "cat photo.png",
  size: 2048,
  type: "image/png",
  image: true,
  width: 640,
  height: 480,
};

/** An XMLHttpRequest double: records what was asked, lets the test play the server. */
function fakeXhr() {
  const xhr = {
    opened: [] as [string, string][],
    headers: {} as Record<string, string>,
    body: undefined as Blob | undefined,
    aborted: 0,
    status: 0,
    responseText: "",
    upload: { onprogress: null as UploadXhr["upload"]["onprogress"] },
    onload: null as (() => void) | null,
    onerror: null as (() => void) | null,
    onabort: null as (() => void) | null,
    open(method: string, url: string) {
      xhr.opened.push([method, url]);
    },
    setRequestHeader(name: string, value: string) {
      xhr.headers[name] = value;
    },
    send(body: Blob) {
      xhr.body = body;
    },
    abort() {
      xhr.aborted++;
      xhr.onabort?.();
    },
    progress(loaded: number, total: number, lengthComputable = true) {
      xhr.upload.onprogress?.({ loaded, total, lengthComputable });
    },
    answer(status: number, body: unknown) {
      xhr.status = status;
      xhr.responseText = typeof body === "string" ? body : JSON.stringify(body);
      xhr.onload?.();
    },
  };
  return xhr;
}

function upload(name = "cat photo.png") {
  const xhr = fakeXhr();
  const percents: number[] = [];
  const bytes = new Blob([new Uint8Array(2048)]);
  const started = startUpload(bytes, name, {
    xhr: () => xhr,
    onProgress: (p) => percents.push(p),
  });
  return { xhr, percents, bytes, ...started };
}

describe("startUpload", () => {
  it("posts the raw bytes to /api/files with the name in the query", () => {
    const { xhr, bytes } = upload("a b&c.png");
    expect(xhr.opened).toEqual([["POST", "/api/files?name=a%20b%26c.png"]]);
    expect(xhr.body).toBe(bytes);
    expect(xhr.headers["Content-Type"]).toBe("application/octet-stream");
  });

  it("reports whole percents as bytes go out, and ignores progress of unknown length", () => {
    const { xhr, percents } = upload();
    xhr.progress(0, 2048);
    xhr.progress(683, 2048);
    xhr.progress(10, 0, false);
    xhr.progress(2048, 2048);
    expect(percents).toEqual([0, 33, 100]);
  });

  it("resolves with the stored file from a 201", async () => {
    const { xhr, done } = upload();
    xhr.answer(201, { file: stored });
    await expect(done).resolves.toEqual(stored);
  });

  it("rejects a 413 with the server's message, which names the limit", async () => {
    const { xhr, done } = upload();
    xhr.answer(413, { error: "too_large", message: "Files are at most 1 MB." });
    const error = await done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({
      code: "too_large",
      message: "Files are at most 1 MB.",
      status: 413,
    });
  });

  it("tells over-quota from too-large", async () => {
    const { xhr, done } = upload();
    xhr.answer(413, { error: "over_quota", message: "Your files use over 1024 MB." });
    await expect(done).rejects.toMatchObject({
      code: "over_quota",
      message: "Your files use over 1024 MB.",
    });
  });

  it("rejects a network failure", async () => {
    const { xhr, done } = upload();
    xhr.onerror?.();
    await expect(done).rejects.toMatchObject({ code: "network" });
  });

  it("aborts on request, rejecting as aborted; aborting after the answer does nothing", async () => {
    const first = upload();
    first.abort();
    expect(first.xhr.aborted).toBe(1);
    await expect(first.done).rejects.toMatchObject({ code: "aborted" });

    const second = upload();
    second.xhr.answer(201, { file: stored });
    await second.done;
    second.abort();
    expect(second.xhr.aborted).toBe(0);
  });
});

describe("readAnswer", () => {
  it("refuses a 201 whose body is not a file", () => {
    const answer = readAnswer(201, '{"file":{"id":1}}');
    expect(answer).toBeInstanceOf(UploadError);
    expect((answer as UploadError).code).toBe("refused");
  });

  it("falls back to its own words when a 413 carries no JSON", () => {
    expect(readAnswer(413, "<html>Too big</html>")).toMatchObject({
      code: "too_large",
      message: "The file is too large.",
    });
  });

  it("names a session that ended, and keeps the server's message for other refusals", () => {
    expect(readAnswer(401, "")).toMatchObject({ code: "unauthorized" });
    expect(
      readAnswer(403, JSON.stringify({ error: "origin", message: "Bad origin." })),
    ).toMatchObject({ code: "refused", message: "Bad origin.", status: 403 });
    expect(readAnswer(500, "")).toMatchObject({
      code: "refused",
      message: "The upload was refused (HTTP 500).",
    });
  });

  it("builds the upload URL with the name encoded", () => {
    expect(uploadUrl("ü/x?.txt")).toBe("/api/files?name=%C3%BC%2Fx%3F.txt");
  });
});
