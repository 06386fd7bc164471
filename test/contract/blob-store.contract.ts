import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobStore } from "../../src/ports";

/** One driver's setting: a fresh, empty store and a look at what it holds. */
export type BlobStoreWorld = {
  store: BlobStore;
  /**
   * Everything the backend holds for this store, as it names it (file paths
   * with temporary files included, or object keys): a failed put must add
   * nothing here.
   */
  everything(): Promise<string[]>;
  /** Misconfigured stores of this driver: check() must throw a message matching each pattern. */
  broken: { what: string; store: BlobStore; says: RegExp[] }[];
  close?(): Promise<void>;
};

const MB = 1024 * 1024;

/**
 * A body produced chunk by chunk (odd sizes, random bytes), with the bytes
 * it yielded kept for comparison; `failAfter` bytes in, it throws instead
 * of ending, as a cut upload does.
 */
function producer(total: number, options: { failAfter?: number } = {}) {
  const sent: Buffer[] = [];
  const cut = new Error("the upload was cut");
  async function* body() {
    let produced = 0;
    let step = 0;
    while (produced < total) {
      if (options.failAfter !== undefined && produced >= options.failAfter) throw cut;
      const size = Math.min(total - produced, 61_440 + ((step * 7919) % 8192));
      const chunk = randomBytes(size);
      sent.push(chunk);
      produced += size;
      step += 1;
      // A real upload arrives over time: let other work run between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  return { body: body(), bytes: () => Buffer.concat(sent), cut };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(parts);
    parts.push(value);
  }
}

const key = (...parts: string[]) => [randomUUID(), ...parts].join("/");

/** The BlobStore contract (src/ports.ts); every driver must pass it. */
export function describeBlobStoreContract(
  driver: string,
  makeWorld: () => Promise<BlobStoreWorld>,
) {
  describe(`BlobStore contract: ${driver}`, () => {
    let world: BlobStoreWorld;
    let store: BlobStore;
    beforeEach(async () => {
      world = await makeWorld();
      store = world.store;
    });
    afterEach(async () => {
      await world.close?.();
    });

    it("streams a put of several MB made chunk by chunk and gives back the same bytes", async () => {
      const source = producer(7 * MB + 12_345);
      const k = key("original");
      const put = await store.put(k, source.body, { contentType: "application/octet-stream" });
      const bytes = source.bytes();
      expect(put.size).toBe(bytes.length);
      expect(await store.stat(k)).toEqual({ size: bytes.length });
      const read = await store.get(k);
      expect(read?.size).toBe(bytes.length);
      const back = await readAll(read?.body as ReadableStream<Uint8Array>);
      expect(back.length).toBe(bytes.length);
      expect(back.equals(bytes)).toBe(true);
    });

    it("stores a small and an empty body", async () => {
      const small = key("small");
      const empty = key("empty");
      await store.put(
        small,
        (async function* () {
          yield new TextEncoder().encode("hello");
        })(),
        {
          contentType: "text/plain",
        },
      );
      await store.put(empty, (async function* () {})(), { contentType: "text/plain" });
      const read = await store.get(small);
      expect((await readAll(read?.body as ReadableStream<Uint8Array>)).toString()).toBe("hello");
      expect(await store.stat(empty)).toEqual({ size: 0 });
      const none = await store.get(empty);
      expect(none?.size).toBe(0);
      expect((await readAll(none?.body as ReadableStream<Uint8Array>)).length).toBe(0);
    });

    it("reads ranges: the first bytes, the middle, the last byte, and a range past the end clamped", async () => {
      const source = producer(300_000);
      const k = key("ranged");
      await store.put(k, source.body, { contentType: "application/octet-stream" });
      const bytes = source.bytes();
      const size = bytes.length;
      const cases: [string, { start: number; end: number }, Buffer][] = [
        ["first bytes", { start: 0, end: 9 }, bytes.subarray(0, 10)],
        ["middle", { start: 123_456, end: 200_000 }, bytes.subarray(123_456, 200_001)],
        ["last byte", { start: size - 1, end: size - 1 }, bytes.subarray(size - 1)],
        ["past the end", { start: size - 10, end: size + 5_000 }, bytes.subarray(size - 10)],
      ];
      for (const [what, range, expected] of cases) {
        const read = await store.get(k, range);
        expect(read?.size, what).toBe(size);
        const got = await readAll(read?.body as ReadableStream<Uint8Array>);
        expect(got.length, what).toBe(expected.length);
        expect(got.equals(expected), what).toBe(true);
      }
    });

    it("answers undefined for a key that was never stored", async () => {
      expect(await store.get(key("never"))).toBeUndefined();
      expect(await store.get(key("never"), { start: 0, end: 10 })).toBeUndefined();
      expect(await store.stat(key("never"))).toBeUndefined();
    });

    it("deletes a blob (then it is missing) and deleting a missing key is fine", async () => {
      const k = key("doomed");
      await store.put(k, producer(10_000).body, { contentType: "application/octet-stream" });
      expect(await store.stat(k)).toEqual({ size: 10_000 });
      await store.delete(k);
      expect(await store.stat(k)).toBeUndefined();
      expect(await store.get(k)).toBeUndefined();
      await expect(store.delete(k)).resolves.toBeUndefined();
      await expect(store.delete(key("never", "there"))).resolves.toBeUndefined();
    });

    it.each([
      ["early (a few KB in)", 100_000, 1],
      ["late (past several MB, beyond a multipart part)", 8 * MB, 6 * MB],
    ])(
      "a put whose body throws %s fails with that error and leaves nothing",
      async (_what, total, failAfter) => {
        const before = await world.everything();
        const source = producer(total, { failAfter });
        const k = key("cut");
        await expect(
          store.put(k, source.body, { contentType: "application/octet-stream" }),
        ).rejects.toBe(source.cut);
        expect(await store.get(k)).toBeUndefined();
        expect(await store.stat(k)).toBeUndefined();
        expect(await world.everything()).toEqual(before);
      },
    );

    it("keeps keys with slashes apart, siblings and deeper ones alike", async () => {
      const root = randomUUID();
      const keys = [`${root}/a/original`, `${root}/a/thumb`, `${root}/b/original`, `${root}/c`];
      for (const [i, k] of keys.entries()) {
        const text = `blob ${i}`;
        await store.put(
          k,
          (async function* () {
            yield new TextEncoder().encode(text);
          })(),
          {
            contentType: "text/plain",
          },
        );
      }
      for (const [i, k] of keys.entries()) {
        const read = await store.get(k);
        expect((await readAll(read?.body as ReadableStream<Uint8Array>)).toString()).toBe(
          `blob ${i}`,
        );
      }
      await store.delete(`${root}/a/original`);
      expect(await store.stat(`${root}/a/original`)).toBeUndefined();
      expect(await store.stat(`${root}/a/thumb`)).toEqual({ size: 6 });
      expect(await store.stat(`${root}/a`)).toBeUndefined();
    });

    it("refuses a key Parley would never make instead of reaching outside the store", async () => {
      for (const bad of ["../escape", "/absolute", "a//b", "a/../b", "", "with space"]) {
        await expect(store.stat(bad), bad).rejects.toThrow(/not one Parley makes/);
      }
    });

    it("a body cancelled unread frees what it held: many in a row still leave the store usable", async () => {
      const k = key("often");
      await store.put(k, producer(400_000).body, { contentType: "application/octet-stream" });
      // More than an HTTP client's connection pool (50 sockets by default).
      for (let i = 0; i < 60; i++) {
        const read = await store.get(k);
        await read?.body.cancel();
      }
      const last = await store.get(k, { start: 0, end: 3 });
      expect((await readAll(last?.body as ReadableStream<Uint8Array>)).length).toBe(4);
    });

    it("check() passes on a working store", async () => {
      await expect(store.check()).resolves.toBeUndefined();
    });

    it("check() on a misconfigured store throws a message that says what is wrong", async () => {
      expect(world.broken.length).toBeGreaterThan(0);
      for (const { what, store: bad, says } of world.broken) {
        const error = await bad.check().then(
          () => undefined,
          (thrown: unknown) => thrown as Error,
        );
        expect(error, what).toBeInstanceOf(Error);
        for (const pattern of says) expect(error?.message, what).toMatch(pattern);
      }
    });
  });
}
