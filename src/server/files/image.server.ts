import { copyFile, stat } from "node:fs/promises";
import sharp, { type Metadata } from "sharp";

/** Longest side of a thumbnail, pixels. */
export const THUMB_MAX = 400;

/**
 * Images larger than this (pixels) are not decoded: they are stored as
 * plain files. Decoding costs about 4 bytes a pixel, so this bounds one
 * upload's memory to a few hundred MB even for a small, highly compressed
 * file (a decompression bomb).
 */
export const MAX_IMAGE_PIXELS = 64_000_000;

/** What processing a decodable image gave: its cleaned original on disk and a thumbnail. */
export type ProcessedImage = {
  /** Bytes written to the output path. */
  size: number;
  width: number;
  height: number;
  thumb: Buffer;
  thumbType: "image/webp";
};

/**
 * Writes a cleaned copy of an uploaded PNG, JPEG or WebP to `output`: turned
 * upright by its EXIF orientation first, then re-encoded in its own format
 * with no EXIF, XMP or IPTC (GPS position included; the colour profile is
 * kept), and makes a WebP thumbnail at most THUMB_MAX px. A GIF is kept as
 * it is (GIF has no EXIF; re-encoding would flatten animations) and gets a
 * still thumbnail of its first frame. undefined when sharp cannot decode it:
 * the caller stores it as a plain file.
 */
export async function processImage(
  input: string,
  output: string,
  type: string,
): Promise<ProcessedImage | undefined> {
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" as const };
  try {
    const meta = await sharp(input, options).metadata();
    if (!meta.width || !meta.height) return undefined;
    const animated = (meta.pages ?? 1) > 1;
    let size: number;
    let width: number;
    let height: number;
    if (type === "image/gif") {
      ({ size, width, height } = await gifAsIs(input, output, meta));
    } else {
      // An animated WebP keeps its frames; orientation applies to stills only.
      const source = sharp(input, { ...options, animated }).keepIccProfile();
      const upright = animated ? source : source.autoOrient();
      const encoded =
        type === "image/png"
          ? upright.png()
          : type === "image/webp"
            ? upright.webp({ quality: 90 })
            : upright.jpeg({ quality: 90 });
      const info = await encoded.toFile(output);
      size = info.size;
      width = info.width;
      // An animated image's height is every frame's; the frame's own is pageHeight.
      height = animated ? (meta.pageHeight ?? info.height) : info.height;
    }
    const thumb = await sharp(output, options)
      .resize(THUMB_MAX, THUMB_MAX, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return { size, width, height, thumb, thumbType: "image/webp" };
  } catch {
    return undefined;
  }
}

async function gifAsIs(
  input: string,
  output: string,
  meta: Metadata,
): Promise<{ size: number; width: number; height: number }> {
  await copyFile(input, output);
  const { size } = await stat(output);
  return { size, width: meta.width, height: meta.pageHeight ?? meta.height };
}
