import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { ensureResultsDir } from "./browser";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: string[] };

/**
 * The serious and critical axe-core violations inside `selector` (the whole
 * page by default). axe is injected through DevTools' evaluate, which the
 * page's nonce CSP does not govern, so the page under test is unchanged.
 */
export async function seriousAxeViolations(page: Page, selector = "body"): Promise<AxeViolation[]> {
  const violations = await runAxe(page, selector, {});
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** The axe-core violations of the named rules only, whatever their impact (axe must be loaded). */
export function axeRuleViolations(page: Page, rules: string[]): Promise<AxeViolation[]> {
  return runAxe(page, "body", { runOnly: { type: "rule", values: rules } });
}

/** Runs axe-core (injected on first use) on `context` with extra run options. */
async function runAxe(page: Page, context: string, options: object): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(
    async ({ context, options }) => {
      type Axe = {
        run(
          context: string,
          options: object,
        ): Promise<{
          violations: {
            id: string;
            impact: string | null;
            help: string;
            nodes: { target: string[] }[];
          }[];
        }>;
      };
      const axe = (window as unknown as { axe: Axe }).axe;
      const result = await axe.run(context, { resultTypes: ["violations"], ...options });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ")),
      }));
    },
    { context, options },
  );
}

/**
 * Visible empty fields whose placeholder is under 4.5:1 on the field's
 * background (axe does not check placeholders). Colours are resolved by
 * painting them on a canvas, so oklch and light-dark() palette values
 * compare as the screen shows them.
 */
export async function placeholderContrastFailures(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) return ["no canvas"];
    const rgba = (color: string): [number, number, number, number] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0, a = 0] = ctx.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const lin = (c: number) => {
        const v = c / 255;
        return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    /** The first opaque background from the element up (the page's own last). */
    const background = (el: Element | null): [number, number, number] => {
      for (let at = el; at; at = at.parentElement) {
        const [r, g, b, a] = rgba(getComputedStyle(at).backgroundColor);
        if (a > 0.99) return [r, g, b];
      }
      return [255, 255, 255];
    };
    const failures: string[] = [];
    const fields = document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      "input[placeholder], textarea[placeholder]",
    );
    for (const field of fields) {
      if (field.value || !field.checkVisibility() || !field.placeholder) continue;
      const [r, g, b, a] = rgba(getComputedStyle(field, "::placeholder").color);
      const back = background(field);
      // A translucent placeholder shows blended with what is behind it.
      const text = [r, g, b].map((c, i) => c * a + (back[i] ?? 255) * (1 - a));
      const [hi = 1, lo = 0] = [luminance(text), luminance(back)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < 4.5) failures.push(`"${field.placeholder}" at ${ratio.toFixed(2)}:1`);
    }
    return failures;
  });
}

/** Saves the page as test-results/<name>-light.png and -dark.png (prefers-color-scheme). */
export async function screenshotLightAndDark(page: Page, name: string): Promise<string[]> {
  const paths: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const path = join(ensureResultsDir(), `${name}-${colorScheme}.png`);
    await page.screenshot({ path });
    paths.push(path);
  }
  await page.emulateMedia({ colorScheme: null });
  return paths;
}

/**
 * Runs axe on the whole page in light and in dark (the Theme stays at
 * System and the OS scheme is emulated), saves
 * test-results/a11y-<screen>-<scheme>.png, and soft-asserts no serious
 * finding, so one run lists every screen's findings at once. Placeholders
 * under 4.5:1 count as a serious finding too (axe skips them).
 */
export async function scan(page: Page, screen: string): Promise<void> {
  const found: Record<string, AxeViolation[]> = {};
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    // Not mid-fade (the actions menu fades in with its row's buttons).
    await expect.poll(() => page.evaluate(settled)).toBe(true);
    found[scheme] = await seriousAxeViolations(page);
    const placeholders = await placeholderContrastFailures(page);
    if (placeholders.length > 0) {
      found[scheme].push({
        id: "placeholder-contrast",
        impact: "serious",
        help: "Placeholder text must meet 4.5:1",
        nodes: placeholders,
      });
    }
    await page.screenshot({ path: join(ensureResultsDir(), `a11y-${screen}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
  expect.soft(found, `serious axe findings on ${screen}`).toEqual({ light: [], dark: [] });
}

/** Whether no finite CSS transition or animation is running (runs in the page). */
function settled(): boolean {
  return document
    .getAnimations()
    .every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity);
}
