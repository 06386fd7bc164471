// `node scripts/icons.ts`: draws the app icons (public/icons/*.png) for the
// web app manifest from one SVG, so a change of colour or shape is made
// once here and the PNGs are regenerated, never hand-edited.
import { mkdirSync } from "node:fs";
import sharp from "sharp";

const INDIGO = "#4f46e5";

/**
 * The favicon's disc with a speech bubble. `safe` is the share of the
 * square the drawing may use: a maskable icon is cropped by the platform
 * to as little as the central 80% circle, so its drawing shrinks and the
 * background fills the whole square.
 */
function iconSvg(size: number, maskable: boolean): string {
  const c = size / 2;
  const scale = maskable ? 0.6 : 0.9;
  const r = (size / 2) * scale;
  const background = maskable
    ? `<rect width="${size}" height="${size}" fill="${INDIGO}"/>`
    : `<circle cx="${c}" cy="${c}" r="${r}" fill="${INDIGO}"/>`;
  const bubble = maskable ? r * 0.95 : r * 0.62;
  const u = bubble / 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  ${background}
  <rect x="${c - 6 * u}" y="${c - 5 * u}" width="${12 * u}" height="${8 * u}" rx="${2 * u}" fill="#ffffff"/>
  <path d="M ${c - 3 * u} ${c + 2.5 * u} L ${c - 4.5 * u} ${c + 6 * u} L ${c + 0.5 * u} ${c + 2.5 * u} Z" fill="#ffffff"/>
  <circle cx="${c - 3 * u}" cy="${c - u}" r="${u}" fill="${INDIGO}"/>
  <circle cx="${c}" cy="${c - u}" r="${u}" fill="${INDIGO}"/>
  <circle cx="${c + 3 * u}" cy="${c - u}" r="${u}" fill="${INDIGO}"/>
</svg>`;
}

const out = new URL("../public/icons/", import.meta.url);
mkdirSync(out, { recursive: true });
const icons = [
  { file: "icon-192.png", size: 192, maskable: false },
  { file: "icon-512.png", size: 512, maskable: false },
  { file: "icon-maskable-512.png", size: 512, maskable: true },
];
for (const { file, size, maskable } of icons) {
  await sharp(Buffer.from(iconSvg(size, maskable)))
    .png()
    .toFile(new URL(file, out).pathname);
  console.log(`public/icons/${file}: ${size}×${size}${maskable ? " maskable" : ""}`);
}
