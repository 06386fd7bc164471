import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileStore, NewFile } from "../../src/ports";
import { post } from "./post";
import type { StoreUnderTest } from "./stores.contract";

const ann = { id: "u-ann", name: "Ann" };
const bob = { id: "u-bob", name: "Bob" };

const newFile = (id: string, overrides: Partial<NewFile> = {}): NewFile => ({
  id,
  uploaderId: ann.id,
  name: `${id}.png`,
  size: 100,
  contentType: "image/png",
  blobKey: `files/${id}`,
  thumbKey: `thumbs/${id}`,
  width: 40,
  height: 30,
  ...overrides,
});

/**
 * The file row store (POST /api/files writes, GET /files reads, the sweep
 * deletes). Claiming is the message store's; here a claim is written to
 * the row directly, as the claim leaves it.
 */
export function describeFileStoreContract(
  driver: string,
  open: () => Promise<StoreUnderTest & { files: FileStore }>,
) {
  describe(`file store contract: ${driver}`, () => {
    let store: StoreUnderTest & { files: FileStore };
    let roomId: string;
    beforeEach(async () => {
      store = await open();
      await store.addUser(ann.id, ann.name);
      await store.addUser(bob.id, bob.name);
      roomId = (await store.rooms.createRoom({ name: "f", slug: "f", createdBy: ann.id })).id;
      await store.rooms.join(roomId, ann.id);
    });
    afterEach(() => store.close());

    const claim = async (fileId: string, messageId: string) => {
      await store.db
        .updateTable("file")
        .set({ room_id: roomId, message_id: messageId })
        .where("id", "=", fileId)
        .execute();
    };

    it("creates an unclaimed row and reads it back with numbers as numbers", async () => {
      const created = await store.files.create(newFile("f1", { size: 5_000_000_000 }));
      expect(created).toMatchObject({ id: "f1", roomId: null, messageId: null });
      expect(await store.files.get("f1")).toEqual({
        ...created,
        size: 5_000_000_000,
        purpose: "attachment",
      });
      expect(await store.files.get("nope")).toBeUndefined();
    });

    it("sums a user's stored bytes, claimed or not", async () => {
      expect(await store.files.storedBytes(ann.id)).toBe(0);
      await store.files.create(newFile("a", { size: 10 }));
      await store.files.create(newFile("b", { size: 32 }));
      await store.files.create(newFile("c", { size: 1000, uploaderId: bob.id }));
      const { message } = await post(store, { roomId, author: ann, clientId: "m", text: "x" });
      await claim("a", message.id);
      expect(await store.files.storedBytes(ann.id)).toBe(42);
      expect(await store.files.storedBytes(bob.id)).toBe(1000);
    });

    it("shows an unclaimed file to its uploader only", async () => {
      await store.files.create(newFile("u"));
      expect((await store.files.visibleTo("u", ann.id))?.id).toBe("u");
      expect(await store.files.visibleTo("u", bob.id)).toBeUndefined();
    });

    it("shows a claimed file to the room's members only, while its message stands", async () => {
      await store.files.create(newFile("p"));
      const { message } = await post(store, { roomId, author: ann, clientId: "m", text: "x" });
      await claim("p", message.id);
      expect((await store.files.visibleTo("p", ann.id))?.roomId).toBe(roomId);
      expect(await store.files.visibleTo("p", bob.id)).toBeUndefined();
      await store.rooms.join(roomId, bob.id);
      expect((await store.files.visibleTo("p", bob.id))?.id).toBe("p");
      await store.db
        .updateTable("message")
        .set({ deleted_at: Date.now() })
        .where("id", "=", message.id)
        .execute();
      expect(await store.files.visibleTo("p", bob.id)).toBeUndefined();
      expect(await store.files.visibleTo("p", ann.id)).toBeUndefined();
    });

    it("sweeps unclaimed rows older than the cut-off, in batches, and spares claimed ones", async () => {
      for (const id of ["old1", "old2", "old3", "kept"]) await store.files.create(newFile(id));
      const { message } = await post(store, { roomId, author: ann, clientId: "m", text: "x" });
      await claim("kept", message.id);
      const cutOff = Date.now() + 60_000;
      await store.files.create(newFile("young"));
      await store.db
        .updateTable("file")
        .set({ created_at: cutOff + 1 })
        .where("id", "=", "young")
        .execute();
      const first = await store.files.sweepUnclaimed(cutOff, 2);
      expect(first).toHaveLength(2);
      expect(first[0]).toMatchObject({ blobKey: expect.stringMatching(/^files\//) });
      const second = await store.files.sweepUnclaimed(cutOff, 2);
      expect([...first, ...second].map((row) => row.id).sort()).toEqual(["old1", "old2", "old3"]);
      expect(await store.files.sweepUnclaimed(cutOff, 2)).toEqual([]);
      expect(await store.files.get("kept")).toBeDefined();
      expect(await store.files.get("young")).toBeDefined();
    });
  });
}
