import type { BrowserContext, Locator, Page } from "playwright-core";
import sharp from "sharp";

/** A file as Playwright's setInputFiles takes it. */
export type FilePayload = { name: string; mimeType: string; buffer: Buffer };

/**
 * A real PNG of the given size (the server makes its thumbnail): a
 * gradient with a sun, so a screenshot shows its shape and crop.
 */
export async function pngFile(name: string, width = 640, height = 480): Promise<FilePayload> {
  const r = Math.round(Math.min(width, height) / 5);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#312e81"/><stop offset="1" stop-color="#f59e0b"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.7}" cy="${height * 0.55}" r="${r}" fill="#fde68a"/>
    <rect y="${height * 0.75}" width="100%" height="${height * 0.25}" fill="#1e3a8a"/>
  </svg>`;
  const buffer = await sharp(Buffer.from(svg)).png().toBuffer();
  return { name, mimeType: "image/png", buffer };
}

/** A small PDF (its magic bytes are what the server sniffs). */
export function pdfFile(name: string, bytes = 1_258_291): FilePayload {
  const buffer = Buffer.alloc(bytes, 0x20);
  buffer.write("%PDF-1.4\n", 0, "latin1");
  buffer.write("\n%%EOF\n", bytes - 7, "latin1");
  return { name, mimeType: "application/pdf", buffer };
}

/** Random bytes of a given size (nothing to compress or sniff). */
export function binaryFile(name: string, bytes: number): FilePayload {
  const buffer = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 4) buffer.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, i);
  return { name, mimeType: "application/octet-stream", buffer };
}

/** The composer's "Attach files" input. */
export function attachInput(page: Page, within?: string) {
  const scope = within ? page.locator(within) : page.locator("main");
  return scope.getByLabel("Attach files");
}

/** Attaches files through the room composer's input and waits until each is uploaded. */
export async function attachAndWait(page: Page, files: FilePayload[]): Promise<void> {
  await attachInput(page).setInputFiles(files);
  await waitUploaded(page, files);
}

/**
 * Each file shows as uploaded in a composer (its "Remove <name>" button):
 * the room's by default, or the one inside `scope` (the thread panel).
 */
export async function waitUploaded(page: Page, files: FilePayload[], scope?: Locator) {
  const composer = scope ?? page.locator("main form:has(textarea)");
  for (const file of files) {
    await composer
      .getByRole("button", { name: `Remove ${file.name}`, exact: true })
      .waitFor({ timeout: 15_000 });
  }
}

/**
 * Hands files to an element in the page, built there from the bytes: as a
 * drop (dragenter, dragover and drop with a DataTransfer holding them, the
 * way a person dragging them from the desktop does) or as a paste (a
 * ClipboardEvent with the files, as Ctrl+V of a screenshot does).
 */
async function deliverFiles(
  page: Page,
  selector: string,
  files: FilePayload[],
  how: "drop" | "paste",
) {
  const payload = files.map((f) => ({
    name: f.name,
    type: f.mimeType,
    base64: f.buffer.toString("base64"),
  }));
  await page.evaluate(
    ({ selector, payload, how }) => {
      const target = document.querySelector(selector);
      if (!target) throw new Error(`nothing at ${selector}`);
      const data = new DataTransfer();
      for (const f of payload) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], f.name, { type: f.type }));
      }
      if (how === "paste") {
        target.dispatchEvent(
          new ClipboardEvent("paste", { bubbles: true, cancelable: true, clipboardData: data }),
        );
        return;
      }
      for (const type of ["dragenter", "dragover", "drop"]) {
        target.dispatchEvent(
          new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }),
        );
      }
    },
    { selector, payload, how },
  );
}

/** Drops files on an element, as dragging them from the desktop does. */
export const dropFiles = (page: Page, selector: string, files: FilePayload[]) =>
  deliverFiles(page, selector, files, "drop");

/** Pastes files into an element, as Ctrl+V of a screenshot does. */
export const pasteFiles = (page: Page, selector: string, files: FilePayload[]) =>
  deliverFiles(page, selector, files, "paste");

/**
 * Slows the page's uploads to `bytesPerSecond` (DevTools network
 * conditions), so a progress bar stays up long enough to be seen and
 * cancelled; returns the function that lifts it.
 */
export async function throttleUploads(
  context: BrowserContext,
  page: Page,
  bytesPerSecond: number,
): Promise<() => Promise<void>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return async () => {
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
  };
}

/** Presses Send in the room composer. */
export async function pressSend(page: Page): Promise<void> {
  await page
    .locator("main form:has(textarea)")
    .getByRole("button", { name: "Send", exact: true })
    .click();
}
