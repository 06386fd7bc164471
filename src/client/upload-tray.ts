import { MAX_FILES_PER_MESSAGE, type WireFile } from "../protocol/frames";
import { startUpload, type Upload, UploadError } from "./uploads";

/** One file on its way into the next message: uploading (with its percent), or stored. */
export type TrayItem = {
  key: string;
  name: string;
  size: number;
  percent: number;
  /** Set once the server stored it: its id goes with the send. */
  file: WireFile | null;
};

/** Starts one upload; startUpload by default, a fake in unit tests. */
export type StartUpload = (
  file: Blob,
  name: string,
  onProgress: (percent: number) => void,
) => Upload;

/** A file to attach: a File from the input, a drop or a paste. */
export type Attachable = Blob & { name?: string };

/**
 * The composer's attachments, free of React: each added file uploads at
 * once (in parallel), shows its percent, can be cancelled, and is dropped
 * with a notice (the server's words, which name the limit) when refused.
 * The message may be sent once nothing is uploading (`ready`).
 */
export class UploadTray {
  #items: TrayItem[] = [];
  #notice: string | null = null;
  readonly #uploads = new Map<string, Upload>();
  readonly #listeners = new Set<() => void>();
  #keys = 0;

  constructor(readonly start: StartUpload = defaultStart) {}

  get items(): readonly TrayItem[] {
    return this.#items;
  }

  /** The last refusal, shown as an alert until dismissed or the next add. */
  get notice(): string | null {
    return this.#notice;
  }

  /** Nothing is still uploading (the message can go). */
  get ready(): boolean {
    return this.#items.every((item) => item.file !== null);
  }

  /** The stored files, in the order they were added. */
  get files(): WireFile[] {
    return this.#items.flatMap((item) => (item.file ? [item.file] : []));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Uploads each file; past MAX_FILES_PER_MESSAGE the rest are refused with a notice. */
  add(files: readonly Attachable[]): void {
    if (files.length === 0) return;
    this.#notice = null;
    const room = MAX_FILES_PER_MESSAGE - this.#items.length;
    const taken = files.slice(0, Math.max(0, room));
    if (taken.length < files.length) {
      this.#notice = `A message carries at most ${MAX_FILES_PER_MESSAGE} files.`;
    }
    for (const blob of taken) this.#startOne(blob);
    this.#emit();
  }

  /** "Cancel upload": stops it and forgets the file (nothing of it is sent). */
  cancel(key: string): void {
    this.#uploads.get(key)?.abort();
    this.#uploads.delete(key);
    this.#drop(key);
  }

  /** Takes a stored file back out of the message (it stays unclaimed; the server sweeps it). */
  remove(key: string): void {
    this.cancel(key);
  }

  dismissNotice(): void {
    this.#notice = null;
    this.#emit();
  }

  /** After the send: the files went with the message. */
  clear(): void {
    for (const upload of this.#uploads.values()) upload.abort();
    this.#uploads.clear();
    this.#items = [];
    this.#emit();
  }

  /** The composer is gone: stop what is still uploading. */
  dispose(): void {
    for (const upload of this.#uploads.values()) upload.abort();
    this.#uploads.clear();
  }

  #startOne(blob: Attachable) {
    const key = `u${++this.#keys}`;
    const name = fileNameOf(blob);
    this.#items = [...this.#items, { key, name, size: blob.size, percent: 0, file: null }];
    const upload = this.start(blob, name, (percent) =>
      this.#update(key, (item) => (item.percent === percent ? item : { ...item, percent })),
    );
    this.#uploads.set(key, upload);
    upload.done.then(
      (file) => {
        if (this.#uploads.get(key) !== upload) return;
        this.#uploads.delete(key);
        this.#update(key, (item) => ({ ...item, percent: 100, file }));
      },
      (error: unknown) => {
        if (this.#uploads.get(key) !== upload) return;
        this.#uploads.delete(key);
        if (error instanceof UploadError && error.code === "aborted") return this.#drop(key);
        const why = error instanceof UploadError ? error.message : "The upload failed.";
        this.#notice = `${name} was not attached. ${why}`;
        this.#drop(key);
      },
    );
  }

  #update(key: string, change: (item: TrayItem) => TrayItem) {
    let changed = false;
    this.#items = this.#items.map((item) => {
      if (item.key !== key) return item;
      const next = change(item);
      changed ||= next !== item;
      return next;
    });
    if (changed) this.#emit();
  }

  #drop(key: string) {
    const before = this.#items.length;
    this.#items = this.#items.filter((item) => item.key !== key);
    if (this.#items.length !== before || this.#notice) this.#emit();
  }

  #emit() {
    for (const listener of this.#listeners) listener();
  }
}

const defaultStart: StartUpload = (file, name, onProgress) =>
  startUpload(file, name, { onProgress });

/**
 * A name for the upload: the file's own, or for a pasted image without
 * one (clipboard images are often all "image.png"), a made-up one.
 */
export function fileNameOf(blob: Attachable): string {
  const name = blob.name?.trim();
  if (name) return name;
  const ext = blob.type.startsWith("image/") ? `.${blob.type.slice(6).split(/[+;]/)[0]}` : "";
  return `pasted${ext}`;
}
