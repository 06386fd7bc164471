import { describe, expect, it } from "vitest";
import { fileNameOf, type StartUpload, UploadTray } from "../../src/client/upload-tray";
import { UploadError } from "../../src/client/uploads";
import { MAX_FILES_PER_MESSAGE, type WireFile } from "../../src/protocol/frames";

/** Uploads the test finishes by hand. */
function fakeUploads() {
  const started: {
    name: string;
    progress: (p: number) => void;
    resolve: (file: WireFile) => void;
    reject: (error: unknown) => void;
    aborted: boolean;
  }[] = [];
  const start: StartUpload = (_blob, name, progress) => {
    let resolve!: (file: WireFile) => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<WireFile>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    done.catch(() => {});
    const entry = { name, progress, resolve, reject, aborted: false };
    started.push(entry);
    return {
      done,
      abort: () => {
        entry.aborted = true;
        reject(new UploadError("aborted", "Upload cancelled."));
      },
    };
  };
  return { start, started };
}

const named = (name: string, size = 10) =>
  Object.assign(new Blob([new Uint8Array(size)]), { name });
const wire = (id: string, name: string): WireFile => ({
  id,
  name,
  size: 10,
  type: "application/pdf",
  image: false,
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("UploadTray", () => {
  it("uploads each file at once, shows its percent, and is ready once all are stored", async () => {
    const { start, started } = fakeUploads();
    const tray = new UploadTray(start);
    let changes = 0;
    tray.subscribe(() => changes++);
    tray.add([named("a.pdf"), named("b.pdf")]);
    expect(started.map((s) => s.name)).toEqual(["a.pdf", "b.pdf"]);
    expect(tray.ready).toBe(false);
    started[0]?.progress(40);
    expect(tray.items.map((i) => i.percent)).toEqual([40, 0]);
    started[1]?.resolve(wire("f2", "b.pdf"));
    await settle();
    expect(tray.ready).toBe(false);
    started[0]?.resolve(wire("f1", "a.pdf"));
    await settle();
    expect(tray.ready).toBe(true);
    // In the order added, whichever finished first.
    expect(tray.files.map((f) => f.id)).toEqual(["f1", "f2"]);
    expect(changes).toBeGreaterThanOrEqual(4);
  });

  it("cancel aborts the upload and forgets the file", async () => {
    const { start, started } = fakeUploads();
    const tray = new UploadTray(start);
    tray.add([named("big.bin")]);
    const key = tray.items[0]?.key ?? "";
    tray.cancel(key);
    await settle();
    expect(started[0]?.aborted).toBe(true);
    expect(tray.items).toEqual([]);
    expect(tray.notice).toBeNull();
    expect(tray.ready).toBe(true);
    expect(tray.files).toEqual([]);
  });

  it("drops a refused upload with a notice in the server's words", async () => {
    const { start, started } = fakeUploads();
    const tray = new UploadTray(start);
    tray.add([named("huge.iso"), named("ok.pdf")]);
    started[0]?.reject(new UploadError("too_large", "Files are at most 1 MB.", 413));
    await settle();
    expect(tray.notice).toBe("huge.iso was not attached. Files are at most 1 MB.");
    expect(tray.items.map((i) => i.name)).toEqual(["ok.pdf"]);
    tray.dismissNotice();
    expect(tray.notice).toBeNull();
  });

  it("a network failure or an unexpected error drops the file with a notice too", async () => {
    const { start, started } = fakeUploads();
    const tray = new UploadTray(start);
    tray.add([named("a.pdf"), named("b.pdf")]);
    started[0]?.reject(new UploadError("network", "The upload failed: network error."));
    await settle();
    expect(tray.notice).toBe("a.pdf was not attached. The upload failed: network error.");
    started[1]?.reject(new TypeError("boom"));
    await settle();
    expect(tray.notice).toBe("b.pdf was not attached. The upload failed.");
    expect(tray.items).toEqual([]);
  });

  it("refuses files past the per-message limit, keeping the first ones", () => {
    const { start, started } = fakeUploads();
    const tray = new UploadTray(start);
    tray.add(Array.from({ length: MAX_FILES_PER_MESSAGE + 2 }, (_, i) => named(`f${i}.txt`)));
    expect(started).toHaveLength(MAX_FILES_PER_MESSAGE);
    expect(tray.notice).toBe(`A message carries at most ${MAX_FILES_PER_MESSAGE} files.`);
    tray.add([named("one-more.txt")]);
    expect(started).toHaveLength(MAX_FILES_PER_MESSAGE);
  });

  it("clear (after the send) empties it; an upload that finishes after a cancel is not added back", async () => {
    const { start, started } = fakeUploads();
    const tray = new UploadTray(start);
    tray.add([named("a.pdf")]);
    started[0]?.resolve(wire("f1", "a.pdf"));
    await settle();
    tray.clear();
    expect(tray.items).toEqual([]);

    tray.add([named("late.pdf")]);
    const late = started[1];
    tray.cancel(tray.items[0]?.key ?? "");
    late?.resolve(wire("f9", "late.pdf"));
    await settle();
    expect(tray.items).toEqual([]);
  });

  it("dispose stops what is still uploading", () => {
    const { start, started } = fakeUploads();
    const tray = new UploadTray(start);
    tray.add([named("a.pdf")]);
    tray.dispose();
    expect(started[0]?.aborted).toBe(true);
  });
});

describe("fileNameOf", () => {
  it("keeps a file's name and names a pasted image that has none", () => {
    expect(fileNameOf(named("  shot.png "))).toBe("shot.png");
    expect(fileNameOf(new Blob(["x"], { type: "image/png" }))).toBe("pasted.png");
    expect(fileNameOf(new Blob(["x"], { type: "image/svg+xml" }))).toBe("pasted.svg");
    expect(fileNameOf(new Blob(["x"]))).toBe("pasted");
  });
});
