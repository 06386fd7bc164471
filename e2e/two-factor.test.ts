import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { awayFromBoundary, totpAt } from "../test/helpers/totp";
import { seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  expectConnected,
  openAs,
  submitSignIn,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

/** Where issue 14's screenshots are kept (committed, for review). */
const SHOTS = "docs/issue-14";

/** Saves the page in light and dark (the OS scheme emulated), and checks axe in each. */
async function shotsAndAxe(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    expect(await seriousAxeViolations(page), `${name} in ${scheme}`).toEqual([]);
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: null });
}

describe.skipIf(!available)("two-factor authentication and sessions", () => {
  const suite = useBrowserSuite();

  it("2FA set up, then sign-in with a code; the sessions table by keyboard", async () => {
    const a = await openAs(suite, "Tess");
    await visit(a.page, "/settings/security");
    const sessions = a.page.getByRole("table", { name: "Sessions" });
    await expect.poll(() => sessions.getByRole("row").count()).toBe(2); // header + this device
    await expect.poll(() => sessions.getByText("This device").count()).toBe(1);
    await shotsAndAxe(a.page, "security-page");

    // Set up: the password first, then the QR code and the secret key.
    await a.page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    await a.page.getByLabel("Password").fill(a.user.password);
    await a.page.getByRole("button", { name: "Continue" }).click();
    const secretField = a.page.getByLabel("Secret key");
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
    await expect.poll(() => a.page.getByRole("img", { name: /QR code/ }).count()).toBe(1);
    await shotsAndAxe(a.page, "security-setup");

    // A wrong code is refused with a clear error; the right one turns it on.
    let step = await awayFromBoundary();
    await a.page.getByLabel("Code", { exact: true }).fill(totpAt(secret, step + 3));
    await a.page.getByRole("button", { name: "Verify" }).click();
    await a.page.getByRole("alert").filter({ hasText: "That code is not right" }).waitFor();
    step = await awayFromBoundary();
    await a.page.getByLabel("Code", { exact: true }).fill(totpAt(secret, step));
    await a.page.getByRole("button", { name: "Verify" }).click();
    const codes = a.page.getByRole("list", { name: "Recovery codes" });
    await codes.waitFor();
    expect(await codes.getByRole("listitem").count()).toBe(10);
    const recoveryCode = (await codes.getByRole("listitem").first().textContent()) ?? "";
    await a.page.getByRole("button", { name: "Copy" }).waitFor();
    await a.page.getByRole("link", { name: "Download" }).waitFor();
    await a.page.getByRole("button", { name: "Done" }).click();
    await a.page.getByRole("button", { name: "Turn off two-factor authentication" }).waitFor();
    // Shown once: a reload shows no codes.
    await visit(a.page, "/settings/security");
    expect(await codes.count()).toBe(0);

    // Another browser signs in: the password, then the authentication code.
    const b = await suite.open();
    await submitSignIn(b.page, a.user.email, a.user.password);
    const codeField = b.page.getByLabel("Authentication code");
    await codeField.waitFor();
    step = await awayFromBoundary();
    await codeField.fill(totpAt(secret, step + 2));
    await b.page.getByRole("button", { name: "Verify" }).click();
    await b.page.getByRole("alert").filter({ hasText: "That code is not right" }).waitFor();
    // The recovery-code switch and back.
    await b.page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await b.page.getByLabel("Recovery code").waitFor();
    await b.page.getByRole("button", { name: "Use an authentication code instead" }).click();
    step = await awayFromBoundary();
    await b.page.getByLabel("Authentication code").fill(totpAt(secret, step));
    await b.page.getByRole("button", { name: "Verify" }).click();
    await b.page.waitForURL("**/r/general");
    await expectConnected(b.page);

    // The first browser lists both sessions; signing the other out by keyboard ends its tab.
    await visit(a.page, "/settings/security");
    await expect.poll(() => sessions.getByRole("row").count()).toBe(3);
    await a.page.getByRole("button", { name: "Turn off two-factor authentication" }).focus();
    const signOut = sessions.getByRole("button", { name: "Sign out" });
    for (let i = 0; i < 10; i++) {
      await a.page.keyboard.press("Tab");
      if (await signOut.evaluate((el) => el === document.activeElement)) break;
    }
    expect(await signOut.evaluate((el) => el === document.activeElement)).toBe(true);
    await a.page.keyboard.press("Enter");
    await expect.poll(() => sessions.getByRole("row").count()).toBe(2);
    await b.page.waitForURL(/\/sign-in/);
    // This device stays signed in.
    await visit(a.page, "/settings/security");
    await sessions.getByText("This device").waitFor();

    // A recovery code (typed without its dash) signs the other browser in instead of a code.
    await submitSignIn(b.page, a.user.email, a.user.password);
    await b.page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await b.page.getByLabel("Recovery code").fill(recoveryCode.replace("-", ""));
    await b.page.getByRole("button", { name: "Verify" }).click();
    await b.page.waitForURL("**/r/general");
    expect(a.problems.pageErrors).toEqual([]);
  });
});
