import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { httpFrom } from "../test/helpers/http-from";
import { scan } from "./a11y";
import {
  chromiumAvailable,
  enter,
  newUser,
  openAs,
  signUpViaUi,
  submitSignIn,
  type TestUser,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

/** Waits until the locator's text contains `text`. */
async function expectContains(locator: Locator, text: string, timeout = 5_000) {
  await expect.poll(async () => (await locator.textContent()) ?? "", { timeout }).toContain(text);
}

/** The row of the users table holding this email. */
const userRow = (page: Page, email: string) =>
  page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: email });

// Issue 14: the admin console in a real browser.
describe.skipIf(!available)("the admin console", () => {
  const suite = useBrowserSuite();
  let owner: TestUser;

  /** A page signed in as the owner (through the API: the owner exists already). */
  async function asOwner(path: string) {
    const opened = await suite.open();
    const answer = await httpFrom(suite.server.url, "/api/auth/sign-in/email", {
      body: { email: owner.email, password: owner.password },
    });
    const [name, ...rest] = (answer.cookie ?? "").split("=");
    await opened.context.addCookies([
      { name: name ?? "", value: rest.join("="), url: suite.server.url, httpOnly: true },
    ]);
    await visit(opened.page, path);
    return opened;
  }

  it("the first sign-up is the owner and sees Admin", async () => {
    owner = newUser("Owner");
    const { page, problems } = await suite.open();
    await signUpViaUi(page, owner);
    const admin = page.getByRole("link", { name: "Admin", exact: true });
    await admin.first().waitFor();
    await admin.first().click();
    await page.waitForURL("**/admin/users");
    const nav = page.getByRole("navigation", { name: "Admin" });
    await nav.getByRole("link", { name: "Users", exact: true }).waitFor();
    for (const name of ["Users", "Rooms", "Audit log", "Settings"]) {
      expect(await nav.getByRole("link", { name, exact: true }).count()).toBe(1);
    }
    await expectContains(userRow(page, owner.email), "Owner");

    // The second person is a member: no link, and /admin is not found for them.
    const other = await openAs(suite, "Member");
    await enter(other.page, "/r/general");
    expect(await other.page.getByRole("link", { name: "Admin", exact: true }).count()).toBe(0);
    await visit(other.page, "/admin/users");
    await other.page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(problems.pageErrors).toEqual([]);
  });

  it("an admin deactivates a user, whose open tab is signed out", async () => {
    const victim = await openAs(suite, "Victim");
    await enter(victim.page, "/r/general");
    const { page } = await asOwner("/admin/users");
    await page.getByLabel("Search users").fill(victim.user.email);
    const row = userRow(page, victim.user.email);
    await row.getByRole("button", { name: "Deactivate" }).click();
    await expectContains(
      page.getByRole("status").first(),
      "is deactivated and signed out everywhere",
    );
    await expectContains(row.getByRole("cell").nth(2), "Deactivated");
    // The victim's tab leaves for sign-in with the reason.
    await victim.page.waitForURL("**/sign-in?reason=deactivated", { timeout: 5_000 });
    await victim.page.getByText("This account is deactivated.").waitFor();
    // Signing in again is refused with the same words.
    await submitSignIn(victim.page, victim.user.email, victim.user.password);
    await victim.page
      .getByRole("alert")
      .filter({ hasText: "This account is deactivated." })
      .waitFor();
    // Reactivated, they get in.
    await row.getByRole("button", { name: "Reactivate" }).click();
    await expectContains(row.getByRole("cell").nth(2), "Active");
    await victim.page.getByRole("button", { name: "Sign in" }).click();
    await victim.page.waitForURL("**/r/general");
  });

  it("the console works from the keyboard: change a role in the dialog", async () => {
    const member = await openAs(suite, "Keys");
    await enter(member.page, "/r/general");
    const { page } = await asOwner("/admin/users");
    await page.getByLabel("Search users").fill(member.user.email);
    const row = userRow(page, member.user.email);
    await expectContains(row.getByRole("cell").nth(1), "Member");
    await row.getByRole("button", { name: "Change role" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Change role" });
    await dialog.waitFor();
    // Focus starts on the current role; the arrow keys move between radios.
    expect(
      await dialog
        .getByRole("radio", { name: "Member" })
        .evaluate((e) => e === document.activeElement),
    ).toBe(true);
    await page.keyboard.press("ArrowUp");
    expect(await dialog.getByRole("radio", { name: "Admin" }).isChecked()).toBe(true);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save role");
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached" });
    await expectContains(row.getByRole("cell").nth(1), "Admin");
    // Refusals show in the dialog: the owner cannot change their own role.
    await page.getByLabel("Search users").fill(owner.email);
    const own = userRow(page, owner.email);
    await own.getByRole("button", { name: "Change role" }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await dialog
      .getByRole("alert")
      .filter({ hasText: "You cannot change your own role." })
      .waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    // The nav's links are reachable by Tab and follow Enter.
    await page
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Audit log" })
      .focus();
    await page.keyboard.press("Enter");
    await page.waitForURL("**/admin/audit");
    await page.getByRole("table", { name: "Audit log" }).getByText("user.role").first().waitFor();
  });

  it("has no serious axe findings on any admin page, light and dark", {
    timeout: 120_000,
  }, async () => {
    const { page, problems } = await asOwner("/admin/users");
    await page.getByRole("table", { name: "Users" }).waitFor();
    const dir = join("docs", "issue-14");
    mkdirSync(dir, { recursive: true });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect
        .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
        .toBe(scheme === "dark");
      await page.screenshot({ path: join(dir, `admin-users-${scheme}.png`), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: null });
    await scan(page, "admin-users");
    for (const [path, ready] of [
      ["/admin/rooms", () => page.getByRole("table", { name: "Rooms" })],
      ["/admin/audit", () => page.getByRole("table", { name: "Audit log" })],
      ["/admin/settings", () => page.getByLabel("Server name")],
    ] as const) {
      await visit(page, path);
      await ready().waitFor();
      await scan(page, `admin-${path.split("/").at(-1)}`);
    }
    expect(problems.pageErrors).toEqual([]);
  });
});
