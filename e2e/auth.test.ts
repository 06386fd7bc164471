import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { signUp } from "../test/helpers/clients";
import {
  chromiumAvailable,
  expectConnected,
  expectCount,
  newUser,
  signUpViaUi,
  submitSignIn,
  submitSignUp,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

/**
 * The field is marked invalid and its accessible description is a visible
 * role=alert element holding `message`.
 */
async function expectFieldError(page: Page, field: Locator, message: string | RegExp) {
  const alert = page.getByRole("alert").filter({ hasText: message });
  await alert.waitFor({ timeout: 5_000 });
  expect(await alert.isVisible()).toBe(true);
  expect(await field.getAttribute("aria-invalid")).toBe("true");
  const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
  expect(describedBy, "the field names its error with aria-describedby").not.toBe("");
  const alertId = await alert.getAttribute("id");
  expect(describedBy.split(/\s+/)).toContain(alertId);
}

describe.skipIf(!available)("sign-up and sign-in errors", () => {
  const suite = useBrowserSuite();

  it("rejects a too-short password next to the Password field", async () => {
    const { page } = await suite.open();
    await submitSignUp(page, { ...newUser("Short"), password: "short" });
    await expectFieldError(page, page.getByLabel("Password"), /too short/i);
    expect(new URL(page.url()).pathname).toBe("/sign-up");
    // The other fields are fine and say nothing.
    expect(await page.getByLabel("Email").getAttribute("aria-invalid")).toBeNull();
    await expectCount(page.getByRole("alert"), 1);
  });

  it("reports a missing name and a malformed email on their fields", async () => {
    const { page } = await suite.open();
    await submitSignUp(page, { name: " ", email: "not-an-email", password: "long enough pw" });
    await expectFieldError(page, page.getByLabel("Name"), /name/i);
    await expectFieldError(page, page.getByLabel("Email"), /valid email/i);
    expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBeNull();
  });

  it("refuses a second sign-up with the same email without saying it is registered", async () => {
    const first = newUser("Taken");
    await signUp(suite.server.url, first);
    const { page } = await suite.open();
    await submitSignUp(page, { ...newUser("Other"), email: first.email });
    await expectFieldError(page, page.getByLabel("Email"), /cannot be used.*sign in/i);
    expect(new URL(page.url()).pathname).toBe("/sign-up");
  });

  it("shows an error for a wrong password and signs in with the right one", async () => {
    const user = newUser("Wrong");
    await signUp(suite.server.url, user);
    const { page } = await suite.open();

    await submitSignIn(page, user.email, "not the password");
    await expectFieldError(page, page.getByLabel("Password"), /wrong email or password/i);
    expect(new URL(page.url()).pathname).toBe("/sign-in");

    // The right password lands in general.
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/r/general");
    await expectConnected(page);
  });

  it("signs up through the form and lands in general", async () => {
    const { page } = await suite.open();
    await signUpViaUi(page, newUser("Form"));
    expect(new URL(page.url()).pathname).toBe("/r/general");
  });

  it("does not put the password in the URL when the form is submitted before hydration", async () => {
    // Without JavaScript (or before React hydrates) the button submits the
    // form natively; a GET form puts the password in the address bar, the
    // history and the server's access log.
    const { page } = await suite.open({ javaScriptEnabled: false });
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("nojs@example.test");
    await page.getByLabel("Password").fill("secret-password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForLoadState();
    const url = page.url();
    expect(new URL(url).searchParams.has("password"), `address after submit: ${url}`).toBe(false);
  });
});
