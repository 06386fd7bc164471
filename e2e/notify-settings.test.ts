import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousAxeViolations } from "./a11y";
import {
  anyRoomLink,
  chromiumAvailable,
  createRoom,
  enter,
  expectConnected,
  messageItem,
  openAs,
  roomLink,
  sendMessage,
  type TestUser,
  uniqueTag,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

/** Where issue 13's screenshots are kept (committed, for review). */
const SHOTS = "docs/issue-13";

/** Saves the page in light and dark (the Theme stays System; the OS scheme is emulated). */
async function shots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}

/** The serious axe findings in light and dark, by scheme (empty when none). */
async function axeBothSchemes(page: Page, selector: string): Promise<Record<string, unknown[]>> {
  const found: Record<string, unknown[]> = {};
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    const violations = await seriousAxeViolations(page, selector);
    if (violations.length > 0) found[scheme] = violations;
  }
  await page.emulateMedia({ colorScheme: null });
  return found;
}

/** Opens the room's "Notification settings" dialog from the keyboard. */
async function openDialogByKeyboard(page: Page) {
  const button = page.getByRole("button", { name: "Notification settings" });
  const dialog = page.getByRole("dialog", { name: "Notification settings" });
  await button.focus();
  await page.keyboard.press("Enter");
  await dialog.waitFor();
  return dialog;
}

describe.skipIf(!available)("notification preferences", () => {
  const suite = useBrowserSuite();

  it("saves a room's level and mute from the dialog: kept on reload, live in another tab", async () => {
    const a = await openAs(suite, "Nora");
    const tag = uniqueTag();
    const name = `Quiet ${tag}`;
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, name);
    // A second tab of the same user, in another room, sees the change live.
    const other = await a.context.newPage();
    await enter(other, "/r/general");
    await roomLink(other, name).waitFor();

    const dialog = await openDialogByKeyboard(a.page);
    const level = dialog.getByRole("group", { name: "Notify me about" });
    // Rooms default to "Mentions and DMs", the effective level checked.
    expect(await level.getByRole("radio", { name: "Mentions and DMs" }).isChecked()).toBe(true);
    await level.getByRole("radio", { name: "Nothing" }).check();
    await dialog.getByRole("status").getByText("Saved.").waitFor();
    await dialog.getByRole("checkbox", { name: "Mute room" }).check();
    await dialog.getByRole("status").getByText("Saved.").waitFor();
    expect(await seriousAxeViolations(a.page, "dialog")).toEqual([]);
    expect(await axeBothSchemes(a.page, "dialog")).toEqual({});
    await shots(a.page, "room-dialog");

    await roomLink(other, `${name}, muted`).waitFor({ timeout: 5_000 });
    await a.page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await roomLink(a.page, `${name}, muted`).waitFor();

    await enter(a.page, path);
    await roomLink(a.page, `${name}, muted`).waitFor();
    const again = await openDialogByKeyboard(a.page);
    expect(await again.getByRole("radio", { name: "Nothing" }).isChecked()).toBe(true);
    expect(await again.getByRole("checkbox", { name: "Mute room" }).isChecked()).toBe(true);
    // Unmuted in this tab: the other tab's link loses ", muted".
    await again.getByRole("checkbox", { name: "Mute room" }).uncheck();
    await roomLink(other, name).waitFor({ timeout: 5_000 });
  });

  it("keeps the settings page's choices across a reload and asks for permission only on the button", async () => {
    const a = await openAs(suite, "Otto");
    await visit(a.page, "/settings/notifications");
    await expectConnected(a.page);
    expect(await a.page.title()).toBe("Notification settings · Parley");
    const email = a.page.getByRole("checkbox", { name: "Email me about missed mentions and DMs" });
    const text = a.page.getByRole("checkbox", { name: "Show message text in notifications" });
    const level = a.page.getByRole("group", { name: "Notify me about" });
    const saved = a.page.getByText("Saved.", { exact: true });
    expect(await email.isChecked()).toBe(true);
    expect(await text.isChecked()).toBe(true);
    await email.uncheck();
    await saved.waitFor();
    await text.uncheck();
    await saved.waitFor();
    await level.getByRole("radio", { name: "All messages" }).check();
    await saved.waitFor();

    expect(await axeBothSchemes(a.page, "body")).toEqual({});
    await shots(a.page, "settings-page");

    await visit(a.page, "/settings/notifications");
    await expectConnected(a.page);
    await expect.poll(() => email.isChecked()).toBe(false);
    expect(await text.isChecked()).toBe(false);
    expect(await level.getByRole("radio", { name: "All messages" }).isChecked()).toBe(true);

    // The button asks; a headless browser without a grant answers "denied".
    await a.page.getByRole("button", { name: "Enable desktop notifications" }).click();
    await a.page.getByText(/blocks notifications|are on for this browser/).waitFor();
  });

  it("reports a grant when the browser context allows notifications", async () => {
    const a = await openAs(suite, "Pam");
    await a.context.grantPermissions(["notifications"]);
    await visit(a.page, "/settings/notifications");
    await a.page.getByRole("button", { name: "Enable desktop notifications" }).click();
    await a.page.getByText("Desktop notifications are on for this browser.").waitFor();
    // Then Web Push subscribes; this suite blocks service workers (and
    // headless Chromium reaches no push service), so the page says why it is off.
    await a.page.getByText(/Push notifications are off for this browser: \S/).waitFor();
  });

  it("shows '(1) ' in the title after a mention, and drops it once read", async () => {
    const tag = uniqueTag();
    // A name without spaces, so "@<name>" is exactly what people type.
    const reader: TestUser = {
      name: `Tia${tag}`,
      email: `tia-${tag}@example.test`,
      password: "correct horse battery",
    };
    const [r, w] = await Promise.all([openAs(suite, reader), openAs(suite, "Wim")]);
    const name = `Titles ${tag}`;
    await enter(w.page, "/r/general");
    const path = await createRoom(w.page, name);
    await enter(r.page, path);
    await anyRoomLink(r.page, "general").click();
    await r.page.getByRole("heading", { level: 1, name: "general" }).waitFor();
    expect(await r.page.title()).toBe("#general · Parley");

    await sendMessage(w.page, `plain ${tag}`);
    await roomLink(r.page, `${name}, 1 unread`).waitFor({ timeout: 5_000 });
    // Unread without a mention: no count.
    expect(await r.page.title()).toBe("#general · Parley");

    await sendMessage(w.page, `@${reader.name} look`);
    await expect.poll(() => r.page.title(), { timeout: 5_000 }).toBe("(1) #general · Parley");
    const icon = () =>
      r.page.evaluate(() => document.querySelector("link[rel='icon']")?.getAttribute("href"));
    expect(await icon()).toContain("e11d48");

    await roomLink(r.page, `${name}, 2 unread, mentioned`).click();
    await messageItem(r.page, "look").waitFor();
    await expect.poll(() => r.page.title(), { timeout: 5_000 }).toBe(`#${name} · Parley`);
    expect(await icon()).not.toContain("e11d48");
  });
});
