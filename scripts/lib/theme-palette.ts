// The dark palette, derived from Tailwind's light one. Every colour c of
// the palettes Parley uses gets a dark twin c' with
//   (Y(c') + 0.05) = K / (Y(c) + 0.05)
// (Y: relative luminance, K fixed by where white goes). The WCAG contrast
// of two colours is (Y1 + 0.05) / (Y2 + 0.05), so this map keeps the
// contrast of every pair exactly (it only swaps which one is lighter): any
// text that meets AA in the light theme meets it in the dark one, for every
// component, without a single `dark:` class. Hue is kept; chroma is cut
// only where sRGB cannot hold it at the new lightness.

/** The palettes components may use (the project's rule), plus white. */
export const THEMED_PALETTES = ["slate", "indigo", "red", "amber", "emerald", "rose"] as const;
export const SHADES = [50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 950] as const;

/** One colour in OKLCH: lightness 0..1, chroma, hue in degrees. */
export type Oklch = { l: number; c: number; h: number };

/** Where white goes in dark mode (the main surface): a deep slate. */
export const DARK_WHITE: Oklch = { l: 0.2, c: 0.03, h: 264 };
/**
 * Headroom over the light theme's contrast against the page: text that
 * just meets AA in light (rose-600 on white, 4.51) must not fall under it
 * through rounding or a browser's gamut mapping. Pairs of palette colours
 * keep their ratio exactly (both sides move by this factor).
 */
const PAGE_MARGIN = 1.03;
/** The lightest a dark twin gets (pure white text glares on a dark page). */
const MAX_LIGHTNESS = 0.97;

/** Parses Tailwind's `oklch(51.1% 0.262 276.966)`. */
export function parseOklch(text: string): Oklch {
  const match = /oklch\(\s*([\d.]+)%\s+([\d.]+)\s+([\d.]+)\s*\)/.exec(text);
  if (!match) throw new Error(`not an oklch() colour: ${text}`);
  return { l: Number(match[1]) / 100, c: Number(match[2]), h: Number(match[3]) };
}

/** Formats a colour the way Tailwind writes its palette (and Biome leaves it). */
export function formatOklch({ l, c, h }: Oklch): string {
  const short = (n: number) => String(Number(n.toFixed(3)));
  return `oklch(${(l * 100).toFixed(1)}% ${short(c)} ${short(h)})`;
}

/** Linear-light sRGB of an OKLCH colour (may fall outside 0..1: out of gamut). */
export function linearRgb({ l, c, h }: Oklch): [number, number, number] {
  const a = c * Math.cos((h * Math.PI) / 180);
  const b = c * Math.sin((h * Math.PI) / 180);
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ];
}

/** WCAG relative luminance, of the colour clipped to sRGB (what browsers and axe show). */
export function luminance(color: Oklch): number {
  const [r, g, b] = linearRgb(color).map((v) => Math.min(1, Math.max(0, v))) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a: Oklch, b: Oklch): number {
  const [ya, yb] = [luminance(a), luminance(b)];
  return (Math.max(ya, yb) + 0.05) / (Math.min(ya, yb) + 0.05);
}

function inGamut(color: Oklch): boolean {
  return linearRgb(color).every((v) => v >= -1e-4 && v <= 1 + 1e-4);
}

/** The colour at lightness l with the hue kept and as much of `c` as sRGB holds. */
function atLightness(l: number, c: number, h: number): Oklch {
  if (inGamut({ l, c, h })) return { l, c, h };
  let [low, high] = [0, c];
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (inGamut({ l, c: mid, h })) low = mid;
    else high = mid;
  }
  return { l, c: low, h };
}

/** The dark twin of a light colour: same contrast to the dark page as it had to white. */
export function darkTwin(color: Oklch): Oklch {
  // White is the page: it keeps the slate tint instead of turning grey.
  if (color.l >= 1) return DARK_WHITE;
  const k = (luminance(DARK_WHITE) + 0.05) * (1 + 0.05) * PAGE_MARGIN;
  const target = k / (luminance(color) + 0.05) - 0.05;
  let [low, high] = [0, MAX_LIGHTNESS];
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (luminance(atLightness(mid, color.c, color.h)) < target) low = mid;
    else high = mid;
  }
  return atLightness(low, color.c, color.h);
}

/** The light palette as Tailwind defines it (`--color-<palette>-<shade>` lines of theme.css). */
export function lightPalette(themeCss: string): Map<string, Oklch> {
  const colors = new Map<string, Oklch>();
  for (const palette of THEMED_PALETTES) {
    for (const shade of SHADES) {
      const name = `--color-${palette}-${shade}`;
      const match = new RegExp(`${name}:\\s*([^;]+);`).exec(themeCss);
      if (!match?.[1]) throw new Error(`${name} is missing from Tailwind's theme.css`);
      colors.set(name, parseOklch(match[1]));
    }
  }
  colors.set("--color-white", { l: 1, c: 0, h: 0 });
  return colors;
}

/** The @theme block of src/styles.css: each colour as light-dark(light, dark twin). */
export function paletteCss(themeCss: string): string {
  const lines = [...lightPalette(themeCss)].map(([name, light]) => {
    return `  ${name}: light-dark(${formatOklch(light)}, ${formatOklch(darkTwin(light))});`;
  });
  return `@theme {\n${lines.join("\n")}\n}`;
}

const START = "/* palette:start (generated by `npm run theme-palette`; do not edit by hand) */";
const END = "/* palette:end */";

/** `styles` with its palette block replaced by the current generated one. */
export function withPalette(styles: string, themeCss: string): string {
  const from = styles.indexOf(START);
  const to = styles.indexOf(END);
  if (from < 0 || to < from) throw new Error("src/styles.css has no palette:start/end markers");
  return `${styles.slice(0, from + START.length)}\n${paletteCss(themeCss)}\n${styles.slice(to)}`;
}
