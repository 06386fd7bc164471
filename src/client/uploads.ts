import { fileSchema, type WireFile } from "../protocol/frames";

/**
 * Uploads one file to POST /api/files over XHR: fetch has no upload
 * progress, and XHR aborts cleanly. Framework-free; the composer's tray
 * (upload-tray.ts) drives it.
 */

/** Why an upload did not give a file: the server's code when it named one. */
export type UploadErrorCode =
  | "too_large"
  | "over_quota"
  | "unauthorized"
  | "refused"
  | "network"
  | "aborted";

export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    /** What the person reads: the server's own message for a refusal (it names the limit). */
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

/** The part of XMLHttpRequest an upload uses (a fake one in unit tests). */
export type UploadXhr = {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((event: ProgressEventLike) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
};
export type ProgressEventLike = { loaded: number; total: number; lengthComputable: boolean };

export type UploadOptions = {
  /** Called as bytes go out, with the percent sent (0 to 100, whole numbers). */
  onProgress?: (percent: number) => void;
  /** Makes the request; a real XMLHttpRequest by default. */
  xhr?: () => UploadXhr;
  /** The upload route (tests on another origin only). */
  endpoint?: string;
};

/** A started upload: its outcome, and a way to cancel it ("Cancel upload"). */
export type Upload = { done: Promise<WireFile>; abort: () => void };

/** The URL an upload of a file named `name` posts to. */
export function uploadUrl(name: string, endpoint = "/api/files"): string {
  return `${endpoint}?name=${encodeURIComponent(name)}`;
}

/** Sends the file's bytes as the body; the session cookie authenticates it (same origin). */
export function startUpload(file: Blob, name: string, options: UploadOptions = {}): Upload {
  const xhr = options.xhr ? options.xhr() : (new XMLHttpRequest() as unknown as UploadXhr);
  let settled = false;
  const done = new Promise<WireFile>((resolve, reject) => {
    const fail = (error: UploadError) => {
      settled = true;
      reject(error);
    };
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable || event.total <= 0) return;
      options.onProgress?.(Math.min(100, Math.floor((event.loaded / event.total) * 100)));
    };
    xhr.onload = () => {
      const outcome = readAnswer(xhr.status, xhr.responseText);
      if (outcome instanceof UploadError) return fail(outcome);
      settled = true;
      resolve(outcome);
    };
    xhr.onerror = () => fail(new UploadError("network", "The upload failed: network error."));
    xhr.onabort = () => fail(new UploadError("aborted", "Upload cancelled."));
    xhr.open("POST", uploadUrl(name, options.endpoint));
    // The server sniffs the type from the bytes; this only says "raw bytes".
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.send(file);
  });
  // A rejection nobody awaits (the person cancelled) is not "unhandled".
  done.catch(() => {});
  return {
    done,
    abort: () => {
      if (!settled) xhr.abort();
    },
  };
}

/** The file from a 201, or why not: the server's JSON `{ error, message }` when it sent one. */
export function readAnswer(status: number, body: string): WireFile | UploadError {
  const json = parseJson(body);
  if (status === 201 || status === 200) {
    const file = fileSchema.safeParse(
      json && typeof json === "object" ? (json as { file?: unknown }).file : undefined,
    );
    if (file.success) return file.data;
    return new UploadError(
      "refused",
      "The server's answer to the upload was not understood.",
      status,
    );
  }
  const said = json && typeof json === "object" ? (json as Record<string, unknown>) : {};
  const message = typeof said.message === "string" && said.message ? said.message : undefined;
  if (status === 413) {
    const code = said.error === "over_quota" ? "over_quota" : "too_large";
    const fallback =
      code === "over_quota" ? "You are over your storage quota." : "The file is too large.";
    return new UploadError(code, message ?? fallback, status);
  }
  if (status === 401)
    return new UploadError("unauthorized", "Your session ended: sign in again.", status);
  return new UploadError(
    "refused",
    message ?? `The upload was refused (HTTP ${status || "error"}).`,
    status,
  );
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
