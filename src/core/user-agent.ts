/**
 * A browser and an operating system, in words, from a User-Agent header:
 * enough for a person to tell their sessions apart (issue 14's "Sessions"
 * table). Not a full parser: the common browsers and systems, checked in
 * an order that respects how user agents impersonate each other (Edge and
 * Opera say Chrome, Chrome says Safari, every one says Mozilla).
 */
export type DeviceName = { browser: string; os: string };

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, "Edge"],
  [/\b(?:OPR|Opera)\/(\d+)/, "Opera"],
  [/\bSamsungBrowser\/(\d+)/, "Samsung Internet"],
  [/\bVivaldi\/(\d+)/, "Vivaldi"],
  [/\bFirefox\/(\d+)/, "Firefox"],
  [/\bFxiOS\/(\d+)/, "Firefox"],
  [/\bCriOS\/(\d+)/, "Chrome"],
  [/\bHeadlessChrome\/(\d+)/, "Headless Chrome"],
  [/\bChrom(?:e|ium)\/(\d+)/, "Chrome"],
  [/\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, "Safari"],
  [/\bcurl\/(\d+)/, "curl"],
  [/\bnode(?:-fetch)?\b|\bundici\b/i, "Node.js"],
];

const SYSTEMS: [RegExp, string | ((m: RegExpMatchArray) => string)][] = [
  [/\bWindows NT 10\.0/, "Windows"],
  [/\bWindows NT (\d+\.\d+)/, "Windows"],
  [/\b(?:iPhone|iPod)\b/, "iOS"],
  [/\biPad\b/, "iPadOS"],
  [/\bAndroid (\d+)/, (m) => `Android ${m[1]}`],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];

export function deviceName(userAgent: string | null | undefined): DeviceName {
  const ua = (userAgent ?? "").slice(0, 512);
  if (!ua.trim()) return { browser: "Unknown browser", os: "unknown system" };
  let browser = "Unknown browser";
  for (const [pattern, name] of BROWSERS) {
    const found = ua.match(pattern);
    if (found) {
      browser = found[1] ? `${name} ${found[1]}` : name;
      break;
    }
  }
  let os = "unknown system";
  for (const [pattern, name] of SYSTEMS) {
    const found = ua.match(pattern);
    if (found) {
      os = typeof name === "string" ? name : name(found);
      break;
    }
  }
  return { browser, os };
}
