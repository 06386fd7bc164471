import type { FilesStoreConfig } from "../../env";
import type { BlobStore } from "../../ports";
import { createFsBlobStore } from "./fs-blob-store.server";
import { createS3BlobStore } from "./s3-blob-store.server";

/**
 * The blob store the config names, checked: startup fails here, with the
 * driver's own message, when the folder cannot be written or the bucket
 * cannot be reached.
 */
export async function openBlobStore(config: FilesStoreConfig): Promise<BlobStore> {
  const store = createBlobStore(config);
  await store.check();
  return store;
}

function createBlobStore(config: FilesStoreConfig): BlobStore {
  switch (config.kind) {
    case "fs":
      return createFsBlobStore(config.dir);
    case "s3":
      return createS3BlobStore(config);
  }
}
