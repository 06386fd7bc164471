import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { scan, screenshotLightAndDark } from "./a11y";
import {
  chromiumAvailable,
  enter,
  membersPanel,
  openAs,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

// Editing one's profile (issue 17): "Edit profile" in the sidebar opens the
// dialog "Profile", used with the keyboard only; a taken handle is refused
// next to the field and loses nothing; others see the new name and handle
// live.

const available = chromiumAvailable();

/** The handle the server gives a test user that sent none: its name, dotted, lower case. */
const handleOf = (name: string) => name.toLowerCase().replace(/\s+/g, ".");

/** The accessible name of whatever has focus (its label, text or aria-label). */
const focusedName = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return "";
    const labelled = el.getAttribute("aria-label");
    if (labelled) return labelled;
    const input = el as HTMLInputElement;
    if (input.labels?.[0]) return input.labels[0].textContent?.trim() ?? "";
    return el.textContent?.trim() ?? "";
  });

/** Presses Tab until the element named `name` has focus (at most `limit` presses); answers the count. */
async function tabTo(page: Page, name: string, limit = 150): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press("Tab");
    if ((await focusedName(page)) === name) return presses;
  }
  throw new Error(`Tab never reached "${name}" in ${limit} presses`);
}

describe.skipIf(!available)("Edit profile in the browser", () => {
  const suite = useBrowserSuite();

  it("keyboard only: a taken handle is refused in place, then a free one is saved and others see it live", {
    timeout: 90_000,
  }, async () => {
    const tag = uniqueTag();
    const [a, b] = await Promise.all([openAs(suite, "Ida"), openAs(suite, "Joe")]);
    await Promise.all([enter(a.page, "/r/general"), enter(b.page, "/r/general")]);
    const joeHandle = handleOf(b.user.name);
    const page = a.page;

    await page.locator("body").focus();
    await tabTo(page, "Edit profile");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Profile" });
    await dialog.waitFor();
    const name = dialog.getByRole("textbox", { name: "Display name" });
    const handle = dialog.getByRole("textbox", { name: "Handle" });
    await expect.poll(() => focusedName(page)).toBe("Display name");
    expect(await name.inputValue()).toBe(a.user.name);
    expect(await handle.inputValue()).toBe(handleOf(a.user.name));
    await scan(page, "17-profile-dialog");

    // Escape closes it, and focus is back on the button.
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => focusedName(page)).toBe("Edit profile");
    await page.keyboard.press("Enter");
    await dialog.waitFor();

    const newName = `Ida Renamed ${tag}`;
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(newName);
    await page.keyboard.press("Tab");
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(joeHandle.toUpperCase());
    await page.keyboard.press("Enter");
    const taken = dialog.getByRole("alert");
    await expect.poll(() => taken.textContent()).toMatch(/^That handle is taken\./);
    // Nothing is lost; focus is on the field at fault, which says so.
    expect(await name.inputValue()).toBe(newName);
    expect(await handle.inputValue()).toBe(joeHandle.toUpperCase());
    await expect.poll(() => focusedName(page)).toBe("Handle");
    expect(await handle.getAttribute("aria-invalid")).toBe("true");
    await scan(page, "17-profile-taken");
    await screenshotLightAndDark(page, "17-profile-taken");

    // A bad one names the rule.
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("ida lee");
    await page.keyboard.press("Enter");
    await expect.poll(() => taken.textContent()).toMatch(/only letters a-z/);

    const newHandle = `ida.${tag}`.toLowerCase();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(`@${newHandle}`);
    await page.keyboard.press("Enter");
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => focusedName(page)).toBe("Edit profile");
    const sidebar = page.locator("footer").filter({ hasText: "Edit profile" });
    await sidebar.getByText(`@${newHandle}`, { exact: true }).waitFor();
    await sidebar.getByText(newName, { exact: true }).waitFor();

    // Joe sees it live: Ida's member row carries the new name and handle.
    const row = membersPanel(b.page).getByRole("listitem", { name: new RegExp(`^${newName}`) });
    await row.getByText(`@${newHandle}`).waitFor({ timeout: 10_000 });
    // And Joe's autocomplete offers her by the new handle.
    const box = b.page.getByRole("textbox", { name: "Message" });
    await box.focus();
    await b.page.keyboard.type(`@${newHandle.slice(0, 6)}`);
    await b.page
      .getByRole("listbox", { name: "Mention suggestions" })
      .getByRole("option", { name: `${newName} @${newHandle}`, exact: true })
      .waitFor();
    await screenshotLightAndDark(page, "17-profile-saved");
    expect(a.problems.pageErrors).toEqual([]);
    expect(b.problems.pageErrors).toEqual([]);
  });

  it("on a phone, Edit profile is in the Rooms drawer and its dialog opens over it", {
    timeout: 60_000,
  }, async () => {
    const a = await openAs(suite, "Kai");
    await a.page.setViewportSize({ width: 390, height: 844 });
    await enter(a.page, "/r/general");
    await a.page.getByRole("button", { name: "Rooms", exact: true }).click();
    const drawer = a.page.getByRole("dialog", { name: "Rooms" });
    await drawer.waitFor();
    await drawer.getByRole("button", { name: "Edit profile" }).focus();
    await a.page.keyboard.press("Enter");
    const dialog = a.page.getByRole("dialog", { name: "Profile" });
    await dialog.waitFor();
    await expect.poll(() => focusedName(a.page)).toBe("Display name");
    await scan(a.page, "17-profile-phone");
    // Escape closes the Profile dialog only; the drawer stays, focus back on its button.
    await a.page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await drawer.count()).toBe(1);
    await expect.poll(() => focusedName(a.page)).toBe("Edit profile");
    expect(a.problems.pageErrors).toEqual([]);
  });
});
