import type { AttachInput } from "../../ports";
import { mayAttach, mayAttachList, type Refusal } from "../policy";

/**
 * The files a send, reply or edit attaches, as the store claims them: the
 * list (each file once, mayAttachList) and the rule that words a file that
 * would not claim (mayAttach: only the uploader's own unclaimed upload).
 * Undefined when the frame names no files.
 */
export function attaching(
  fileIds: readonly string[] | undefined,
  userId: string,
): AttachInput | Refusal | undefined {
  if (fileIds === undefined) return undefined;
  const listed = mayAttachList(fileIds);
  if (!listed.ok) return listed;
  return { fileIds, check: (file) => mayAttach(file, userId) };
}

/** True for the refusal `attaching` answers instead of files. */
export const isRefusal = (value: AttachInput | Refusal | undefined): value is Refusal =>
  value !== undefined && "ok" in value;
