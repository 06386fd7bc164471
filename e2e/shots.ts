import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";

/**
 * The page in light and then in dark, to `<path>-light.png` and
 * `<path>-dark.png` (folders made as needed), waiting for the theme to
 * apply before each shot; back to the system's scheme after.
 */
export async function shotsInBothSchemes(
  page: Page,
  path: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    await page.screenshot({ path: `${path}-${scheme}.png`, fullPage: options.fullPage });
  }
  await page.emulateMedia({ colorScheme: null });
}
