/**
 * One link preview, start to end: the page under the guard, its card, its
 * image, then the store attaches it (only to a message still there with no
 * preview, never over a removed one). Answers the updated message to
 * publish, or why there is none; it never throws for a bad page.
 */
import type { BlobStore, MessageStore } from "../../ports";
import type { LinkPreview, WireMessage } from "../../protocol/frames";
import { parseCard } from "./card-parser";
import { type GuardOptions, guardedGet } from "./guarded-fetch.server";
import { storePreviewImage } from "./preview-image.server";

export const PAGE_TYPES = ["text/html", "application/xhtml+xml"];

export type MakeDeps = {
  messages: Pick<MessageStore, "attachPreview">;
  blobs: BlobStore;
  /** The guard's settings (allow list, resolver, timeout) for the page and its image. */
  guard: Omit<GuardOptions, "accept" | "maxBytes">;
};

export type Job = { roomId: string; messageId: string; authorId: string; url: string };

export type Made =
  | { ok: true; message: WireMessage; imageNote?: string }
  | { ok: false; reason: string };

export async function makePreview(job: Job, deps: MakeDeps): Promise<Made> {
  const page = await guardedGet(job.url, { ...deps.guard, accept: PAGE_TYPES });
  if (!page.ok) return page;
  const card = parseCard(decode(page.body, page.charset), page.url);
  if (!card) return { ok: false, reason: "the page has no title" };
  const stored = card.imageUrl
    ? await storePreviewImage(card.imageUrl, job.authorId, deps)
    : undefined;
  const image = stored && "row" in stored ? stored : undefined;
  const preview: LinkPreview = {
    url: job.url,
    title: card.title,
    ...(card.description && { description: card.description }),
    ...(card.siteName && { siteName: card.siteName }),
    ...(image && { image: image.file }),
  };
  let message: WireMessage | undefined;
  try {
    message = await deps.messages.attachPreview(job.roomId, job.messageId, preview, image?.row);
  } finally {
    // Nothing refers to a blob whose row was not written.
    if (image && !message) await deps.blobs.delete(image.row.blobKey);
  }
  if (!message) return { ok: false, reason: "the message is gone or its preview was removed" };
  return { ok: true, message, ...(stored && "reason" in stored && { imageNote: stored.reason }) };
}

/** The page's text in the charset its response named (UTF-8 when none, or one Node does not know). */
function decode(body: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    return new TextDecoder().decode(body);
  }
}
