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
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (context) => {
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
    const result = await axe.run(context, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  }, selector);
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
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
 * finding, so one run lists every screen's findings at once.
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
