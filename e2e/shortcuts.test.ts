import { describe, expect, it } from "vitest";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  messageItem,
  openAs,
  roomsNav,
  sendMessage,
  uniqueTag,
  useBrowserSuite,
} from "./browser";

const available = chromiumAvailable();

describe.skipIf(!available)("keyboard shortcuts", () => {
  const suite = useBrowserSuite();

  /** A user in two rooms of their own (nav order: general, first, second). */
  async function withRooms(prefix: string) {
    const opened = await openAs(suite, prefix);
    await enter(opened.page, "/r/general");
    const tag = uniqueTag();
    const first = `Alpha ${tag}`;
    const second = `Bravo ${tag}`;
    const firstPath = await createRoom(opened.page, first);
    const secondPath = await createRoom(opened.page, second);
    return { ...opened, tag, first, second, firstPath, secondPath };
  }

  const heading = (page: import("playwright-core").Page, name: string) =>
    page.getByRole("heading", { level: 1, name, exact: true });

  it("Ctrl+K jumps to a room", async () => {
    const { page, first, firstPath, second, tag } = await withRooms("Kay");
    // From the composer, while typing: Ctrl+K still opens it.
    await page.getByRole("textbox", { name: "Message" }).fill("not sent");
    await page.keyboard.press("Control+k");
    const dialog = page.getByRole("dialog", { name: "Jump to room" });
    await dialog.waitFor();
    const box = dialog.getByRole("combobox");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await seriousAxeViolations(page, "dialog")).toEqual([]);
    await screenshotLightAndDark(page, "jump-to-room");

    await box.fill(tag);
    const options = dialog.getByRole("option");
    await expect.poll(() => options.count()).toBe(2);
    expect(await options.nth(0).textContent()).toContain(first);
    expect(await options.nth(1).textContent()).toContain(second);
    // The second is the room on screen: "Bravo …, current".
    const firstOption = dialog.getByRole("option", { name: first });
    const secondOption = dialog.getByRole("option", { name: second });
    expect(await firstOption.getAttribute("aria-selected")).toBe("true");
    await box.press("ArrowDown");
    expect(await secondOption.getAttribute("aria-selected")).toBe("true");
    expect(await box.getAttribute("aria-activedescendant")).toBe(
      await options.nth(1).getAttribute("id"),
    );
    await box.press("ArrowUp");
    await box.press("Enter");
    await page.waitForURL(`**${firstPath}`);
    await heading(page, first).waitFor();
    await expect.poll(() => dialog.count()).toBe(0);

    // Escape closes it without going anywhere; nothing matching says so.
    await page.keyboard.press("Control+k");
    await dialog.waitFor();
    await box.fill("no such room at all");
    await dialog.getByText('No room matches "no such room at all".').waitFor();
    await box.press("Enter");
    await box.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    expect(page.url()).toContain(firstPath);
  });

  it("Alt+Down and Alt+Up go to the next and previous room in the nav's order", async () => {
    const { page } = await withRooms("Alt");
    // The nav also lists other tests' public rooms: step by what it shows
    // (its rooms, not its Threads and Saved pages, which are no rooms).
    const links = await roomsNav(page)
      .getByRole("link")
      .evaluateAll((all) =>
        all.map((a) => ({
          path: new URL((a as HTMLAnchorElement).href).pathname,
          name: (a.getAttribute("aria-label") ?? "").replace(/, \d+ unread(, mentioned)?$/, ""),
        })),
      );
    const rooms = links.filter((link) => link.path.startsWith("/r/"));
    expect(rooms.length).toBeGreaterThanOrEqual(3);
    const [top, next, third] = rooms as [(typeof rooms)[0], (typeof rooms)[0], (typeof rooms)[0]];
    /** Presses a key, then waits until that room's screen is up (not just its URL). */
    async function pressAndLand(key: string, room: { path: string; name: string }) {
      await page.keyboard.press(key);
      await page.waitForURL(`**${room.path}`);
      await heading(page, room.name).waitFor();
    }
    await enter(page, top.path);

    await page.getByRole("textbox", { name: "Message" }).focus();
    // The first room has no previous one: Alt+Up stays.
    await page.keyboard.press("Alt+ArrowUp");
    await pressAndLand("Alt+ArrowDown", next);
    await pressAndLand("Alt+ArrowDown", third);
    await pressAndLand("Alt+ArrowUp", next);

    // The Theme select keeps Alt+Down for itself.
    await page.getByRole("combobox", { name: "Theme" }).focus();
    await page.keyboard.press("Alt+ArrowDown");
    await page.keyboard.press("Escape");
    expect(new URL(page.url()).pathname).toBe(next.path);
  });

  it("Up arrow in an empty composer edits my last message, then focus comes back", async () => {
    const { page } = await openAs(suite, "Upton");
    await enter(page, "/r/general");
    const tag = uniqueTag();
    await sendMessage(page, `first ${tag}`);
    await sendMessage(page, `second ${tag}`);
    const composer = page.getByRole("textbox", { name: "Message" });

    // Not empty: the arrow moves the caret, nothing else.
    await composer.fill("draft");
    await composer.press("ArrowUp");
    expect(await page.getByRole("textbox", { name: "Edit message" }).count()).toBe(0);
    await composer.fill("");

    await composer.press("ArrowUp");
    const editor = messageItem(page, `second ${tag}`).getByRole("textbox", {
      name: "Edit message",
    });
    await editor.waitFor();
    await expect.poll(() => editor.evaluate((el) => el === document.activeElement)).toBe(true);
    await editor.fill(`second ${tag} fixed`);
    await editor.press("Enter");
    await messageItem(page, `second ${tag} fixed`).getByText("(edited)").waitFor();
    await expect.poll(() => composer.evaluate((el) => el === document.activeElement)).toBe(true);

    // Escape cancels the edit and also hands focus back.
    await composer.press("ArrowUp");
    await editor.waitFor();
    await editor.press("Escape");
    await expect.poll(() => editor.count()).toBe(0);
    // Says where focus is instead, if it never comes back.
    await expect
      .poll(() =>
        composer.evaluate((el) =>
          el === document.activeElement
            ? "composer"
            : `${document.activeElement?.tagName} ${document.activeElement?.getAttribute("aria-label")}`,
        ),
      )
      .toBe("composer");
    // And it stays: nothing reopens the editor that was just closed.
    expect(await editor.count()).toBe(0);
  });

  it("? (outside a text field) and Ctrl+/ open the Keyboard shortcuts dialog", async () => {
    const { page } = await openAs(suite, "Quest");
    await enter(page, "/r/general");
    const composer = page.getByRole("textbox", { name: "Message" });
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });

    // In the composer "?" is a character.
    await composer.focus();
    await page.keyboard.type("why?");
    expect(await composer.inputValue()).toBe("why?");
    expect(await dialog.count()).toBe(0);
    await composer.fill("");

    await composer.evaluate((el) => (el as HTMLElement).blur());
    await page.keyboard.press("Shift+?");
    await dialog.waitFor();
    for (const what of ["Jump to room", "Previous room", "Next room", "Show keyboard shortcuts"]) {
      await dialog.getByRole("cell", { name: what, exact: true }).waitFor();
    }
    await dialog
      .getByRole("cell", { name: "Close the thread or dialog; cancel an edit" })
      .waitFor();
    expect(await seriousAxeViolations(page, "dialog")).toEqual([]);
    await screenshotLightAndDark(page, "keyboard-shortcuts");
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);

    await composer.focus();
    await page.keyboard.press("Control+/");
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    // Focus goes back to the composer (after the dialog unmounts, so wait
    // for it rather than racing the first key), and typing goes on.
    await expect.poll(() => composer.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type("ok");
    await expect.poll(() => composer.inputValue()).toBe("ok");

    // The button in the sidebar opens it too.
    await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
    await dialog.waitFor();
  });
});
