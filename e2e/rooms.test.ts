import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  membersPanel,
  messageItem,
  sendMessage,
  signInFast,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

function roomsNav(page: Page) {
  return page.getByRole("navigation", { name: "Rooms" });
}

async function createRoom(page: Page, name: string) {
  await roomsNav(page).getByRole("button", { name: "New room" }).click();
  await page.getByLabel("Room name").fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
}

describe.skipIf(!available)("rooms", () => {
  const suite = useBrowserSuite();

  it("creates a room, lists it in the Rooms nav and chats in it", async () => {
    const [a, b] = await Promise.all([suite.open(), suite.open()]);
    await Promise.all([
      signInFast(a.page, suite.server.url, "Rae"),
      signInFast(b.page, suite.server.url, "Sol"),
    ]);
    const nav = roomsNav(a.page);
    expect(await nav.getByRole("link", { name: "general" }).getAttribute("href")).toBe(
      "/r/general",
    );

    await createRoom(a.page, "Design Review");
    await a.page.waitForURL("**/r/design-review");
    const link = nav.getByRole("link", { name: "Design Review" });
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe("/r/design-review");
    expect(await link.getAttribute("aria-current")).toBe("page");
    // The link is current as soon as the URL changes; the page follows once
    // its loader answered.
    await a.page.getByRole("heading", { level: 1, name: /Design Review/ }).waitFor();
    expect(await nav.getByRole("textbox", { name: "Room name" }).count()).toBe(0);

    // Live chat in the new room: A's open socket subscribes to it on
    // client-side navigation, B joins by opening it.
    await visit(b.page, "/r/design-review");
    expect(await roomsNav(b.page).getByRole("link", { name: "Design Review" }).count()).toBe(1);
    await sendMessage(a.page, "agenda for the review");
    await messageItem(b.page, "agenda for the review").waitFor({ timeout: 2_000 });
    await sendMessage(b.page, "only in design review");
    await messageItem(a.page, "only in design review").waitFor({ timeout: 2_000 });

    // Back to general through the nav (client-side): the room's messages stay there.
    await nav.getByRole("link", { name: "general" }).click();
    await a.page.waitForURL("**/r/general");
    await sendMessage(a.page, "back in general");
    expect(await messageItem(a.page, "agenda for the review").count()).toBe(0);
    expect(await messageItem(b.page, "back in general").count()).toBe(0);
    expect(a.problems.pageErrors).toEqual([]);
    expect(b.problems.pageErrors).toEqual([]);
  });

  it("offers Leave room in a room but not in the default room", async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Lee");
    await visit(page, "/r/general");
    const panel = membersPanel(page);
    await panel.getByRole("listitem").first().waitFor({ timeout: 5_000 });
    expect(await panel.getByRole("button", { name: "Leave room" }).count()).toBe(0);
    await createRoom(page, "Leavable");
    await page.getByRole("heading", { level: 1, name: /Leavable/ }).waitFor();
    await panel.getByRole("button", { name: "Leave room" }).waitFor({ timeout: 5_000 });
  });

  it("does not let a message go to the room being left while the next one loads", async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Hasty");
    await createRoom(page, "Slow Loader");
    await page.waitForURL("**/r/slow-loader");
    await roomsNav(page).getByRole("link", { name: "general" }).click();
    await page.getByRole("heading", { level: 1, name: /general/ }).waitFor();

    // Hold the next page's data back, as a slow network would.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/_serverFn/**", async (route) => {
      await held;
      await route.continue();
    });
    await roomsNav(page).getByRole("link", { name: "Slow Loader" }).click();
    const composer = page.getByRole("textbox", { name: "Message" });
    await page.waitForFunction(() => document.querySelector("textarea")?.disabled === true, null, {
      timeout: 2_000,
    });
    expect(await composer.isDisabled()).toBe(true);

    release();
    await page.getByRole("heading", { level: 1, name: /Slow Loader/ }).waitFor();
    await page.unroute("**/_serverFn/**");
    expect(await composer.isDisabled()).toBe(false);
    await sendMessage(page, "lands in the slow room");
    await messageItem(page, "lands in the slow room").waitFor({ timeout: 2_000 });
  });

  it("shows an error on the Room name field for an empty name", async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Empty");
    await createRoom(page, "   ");
    const alert = page.getByRole("alert").filter({ hasText: /room name/i });
    await alert.waitFor({ timeout: 5_000 });
    const field = page.getByLabel("Room name");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await field.getAttribute("aria-describedby")).toBe(await alert.getAttribute("id"));
    expect(new URL(page.url()).pathname).toBe("/r/general");
  });

  it("refuses a duplicate room name with an 'already exists' error on the field", async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Dup");
    await createRoom(page, "Weekly Sync");
    await page.waitForURL("**/r/weekly-sync");

    await createRoom(page, "Weekly Sync");
    const field = page.getByLabel("Room name");
    const anyAlert = page.getByRole("alert");
    await anyAlert.waitFor({ timeout: 5_000 });
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await field.getAttribute("aria-describedby")).toBe(await anyAlert.getAttribute("id"));
    expect(new URL(page.url()).pathname).toBe("/r/weekly-sync");
    expect(await roomsNav(page).getByRole("link", { name: "Weekly Sync" }).count()).toBe(1);
    // The bug: this reads "Could not create the room. Try again."
    const said = (await anyAlert.textContent()) ?? "";
    expect(said, `the error says: ${said}`).toMatch(/already exists/i);
  });
});
