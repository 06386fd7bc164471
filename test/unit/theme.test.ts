import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  contrast,
  DARK_WHITE,
  darkTwin,
  lightPalette,
  withPalette,
} from "../../scripts/lib/theme-palette";
import { isDark, readTheme, saveTheme, THEME_BOOT_SCRIPT, THEME_KEY } from "../../src/client/theme";

const require = createRequire(import.meta.url);
const themeCss = readFileSync(require.resolve("tailwindcss/theme.css"), "utf8");
const styles = readFileSync(new URL("../../src/styles.css", import.meta.url), "utf8");

/** A storage holding `value` under the theme key, or one whose every call throws. */
function storage(value: string | null | "throws") {
  const saved: string[] = [];
  return {
    saved,
    getItem: () => {
      if (value === "throws") throw new Error("SecurityError");
      return value;
    },
    setItem: (_key: string, v: string) => {
      if (value === "throws") throw new Error("QuotaExceededError");
      saved.push(v);
    },
  };
}

describe("theme choice", () => {
  it("reads a stored choice and falls back to system for anything else", () => {
    expect(readTheme(storage("dark"))).toBe("dark");
    expect(readTheme(storage("light"))).toBe("light");
    expect(readTheme(storage("system"))).toBe("system");
    for (const bad of [null, "", "DARK", "blue", '{"theme":"dark"}']) {
      expect(readTheme(storage(bad))).toBe("system");
    }
    expect(readTheme(storage("throws"))).toBe("system");
    expect(readTheme(null)).toBe("system");
  });

  it("saves a choice, and says so when the browser refuses instead of throwing", () => {
    const ok = storage(null);
    expect(saveTheme(ok, "dark")).toBe(true);
    expect(ok.saved).toEqual(["dark"]);
    expect(saveTheme(storage("throws"), "dark")).toBe(false);
    expect(saveTheme(null, "dark")).toBe(false);
  });

  it("is dark for Dark, and for System when the system prefers dark", () => {
    expect(isDark("dark", false)).toBe(true);
    expect(isDark("light", true)).toBe(false);
    expect(isDark("system", true)).toBe(true);
    expect(isDark("system", false)).toBe(false);
  });

  /** Runs the boot script against a fake <html>, localStorage and matchMedia. */
  function boot(stored: string | null | "throws", systemDark: boolean) {
    const attributes: Record<string, string> = {};
    const classes = new Set<string>();
    const documentElement = {
      setAttribute: (name: string, value: string) => {
        attributes[name] = value;
      },
      classList: {
        toggle: (name: string, on: boolean) => (on ? classes.add(name) : classes.delete(name)),
      },
    };
    const media = () => ({ matches: systemDark });
    const run = new Function("localStorage", "document", "window", "matchMedia", THEME_BOOT_SCRIPT);
    run(storage(stored), { documentElement }, { matchMedia: media }, media);
    return { theme: attributes["data-theme"], dark: classes.has("dark") };
  }

  it("the boot script applies the same rules before first paint", () => {
    expect(boot("dark", false)).toEqual({ theme: "dark", dark: true });
    expect(boot("light", true)).toEqual({ theme: "light", dark: false });
    expect(boot(null, true)).toEqual({ theme: "system", dark: true });
    expect(boot(null, false)).toEqual({ theme: "system", dark: false });
    expect(boot("<script>", true)).toEqual({ theme: "system", dark: true });
    expect(boot("throws", false)).toEqual({ theme: "system", dark: false });
    expect(THEME_BOOT_SCRIPT).toContain(JSON.stringify(THEME_KEY));
  });
});

describe("dark palette", () => {
  const light = lightPalette(themeCss);
  const color = (name: string) => {
    const found = light.get(`--color-${name}`);
    if (!found) throw new Error(`no colour ${name}`);
    return found;
  };

  it("src/styles.css holds the generated palette (run `npm run theme-palette`)", () => {
    expect(withPalette(styles, themeCss)).toBe(styles);
  });

  // Text on surface pairs the components use: each keeps its contrast in
  // dark (so AA where light meets it); pure white text is the one clamp.
  const pairs: [string, string][] = [
    ["slate-900", "white"],
    ["slate-900", "slate-50"],
    ["slate-800", "white"],
    ["slate-700", "slate-100"],
    ["slate-600", "white"],
    ["slate-600", "slate-100"],
    ["slate-500", "white"],
    ["slate-500", "slate-100"],
    ["white", "indigo-600"],
    ["white", "indigo-700"],
    ["white", "rose-500"],
    ["indigo-600", "white"],
    ["indigo-700", "slate-100"],
    ["indigo-800", "indigo-100"],
    ["red-600", "white"],
    ["red-800", "red-50"],
    ["rose-600", "white"],
    ["amber-800", "amber-50"],
    ["emerald-700", "white"],
    ["slate-800", "slate-300"],
  ];

  it.each(pairs)("%s on %s keeps its contrast in dark mode", (text, surface) => {
    const before = contrast(color(text), color(surface));
    const after = contrast(darkTwin(color(text)), darkTwin(color(surface)));
    expect(after).toBeGreaterThanOrEqual(Math.min(before, 15) * 0.97);
    if (before >= 4.5) expect(after).toBeGreaterThanOrEqual(4.5);
  });

  it("turns white into a dark surface and dark text into light text", () => {
    expect(darkTwin(color("white"))).toEqual(DARK_WHITE);
    expect(darkTwin(color("slate-900")).l).toBeGreaterThan(0.9);
    expect(darkTwin(color("slate-50")).l).toBeLessThan(0.3);
  });
});
