import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { scan } from "./a11y";
import {
  anyRoomLink,
  chromiumAvailable,
  createRoom,
  enter,
  messageItem,
  newUser,
  openAs,
  roomLink,
  signUpInto,
  uniqueTag,
  useBrowserSuite,
  visit,
} from "./browser";

// Handles and mentions (issue 17): the @ autocomplete, "Invite them?" and
// the sign-up form's Handle field.

const available = chromiumAvailable();
const SHOTS = "/work/notes/shots";

/** The handle the server gives a test user that sent none: its name, dotted, lower case. */
const handleOf = (name: string) => name.toLowerCase().replace(/\s+/g, ".");

async function shots(page: Page, name: string) {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SHOTS}/17-handles-${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: null });
}

describe.skipIf(!available)("handles and mentions in the browser", () => {
  const suite = useBrowserSuite();

  it("the @ autocomplete picks a member with the keyboard, and the mention notifies them", {
    timeout: 90_000,
  }, async () => {
    const tag = uniqueTag();
    const [a, b] = await Promise.all([openAs(suite, "Ada"), openAs(suite, "Bea")]);
    const bea = handleOf(b.user.name);
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Mentions ${tag}`);
    // Bea joins the room, then waits in general.
    await enter(b.page, path);
    await anyRoomLink(b.page, "general").click();
    await b.page.getByRole("heading", { level: 1, name: "general" }).waitFor();

    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.focus();
    await a.page.keyboard.type("thanks @");
    const list = a.page.getByRole("listbox", { name: "Mention suggestions" });
    await list.waitFor();
    // Bea (not the author), then the room-wide ones.
    const options = list.getByRole("option");
    await expect.poll(() => options.count()).toBeGreaterThanOrEqual(4);
    await list.getByRole("option", { name: "Everyone online @here", exact: true }).waitFor();
    expect(
      await list.getByRole("option", { name: `${a.user.name} @${handleOf(a.user.name)}` }).count(),
    ).toBe(0);

    await a.page.keyboard.type(bea.slice(0, 4));
    const beaOption = list.getByRole("option", { name: `${b.user.name} @${bea}`, exact: true });
    await beaOption.waitFor();
    // The textarea keeps focus and points at the active option.
    const activeId = () => box.getAttribute("aria-activedescendant");
    await expect.poll(activeId).toBe(await beaOption.getAttribute("id"));
    expect(await beaOption.getAttribute("aria-selected")).toBe("true");
    await scan(a.page, "17-handles-listbox");
    await shots(a.page, "listbox");

    // Escape closes it (the text stays); typing on reopens it.
    await a.page.keyboard.press("Escape");
    await expect.poll(() => list.count()).toBe(0);
    expect(await box.inputValue()).toBe(`thanks @${bea.slice(0, 4)}`);
    await a.page.keyboard.press("Backspace");
    await a.page.keyboard.type(bea.charAt(3));
    await beaOption.waitFor();
    // Down wraps through the options and Up comes back.
    const count = await options.count();
    for (let i = 0; i < count; i++) await a.page.keyboard.press("ArrowDown");
    await expect.poll(activeId).toBe(await beaOption.getAttribute("id"));
    await a.page.keyboard.press("ArrowDown");
    await a.page.keyboard.press("ArrowUp");
    await a.page.keyboard.press("Enter");
    await expect.poll(() => box.inputValue()).toBe(`thanks @${bea} `);
    expect(await list.count()).toBe(0);
    await a.page.keyboard.type("for the review");
    await a.page.keyboard.press("Enter");
    const sent = `thanks @${bea} for the review`;
    await messageItem(a.page, sent).waitFor();
    // Painted as a mention (it resolves), and Bea hears it in her sidebar.
    await messageItem(a.page, sent)
      .locator("mark", { hasText: `@${bea}` })
      .waitFor();
    await roomLink(b.page, `Mentions ${tag}, 1 unread, mentioned`).waitFor({ timeout: 10_000 });
    expect(a.problems.pageErrors).toEqual([]);
  });

  it("a mention of someone not in the room offers Invite them?, which adds them", {
    timeout: 60_000,
  }, async () => {
    const tag = uniqueTag();
    const [a, c] = await Promise.all([openAs(suite, "Abe"), openAs(suite, "Cyd")]);
    const cyd = handleOf(c.user.name);
    await enter(c.page, "/r/general");
    await enter(a.page, "/r/general");
    const name = `Outside ${tag}`;
    await createRoom(a.page, name);
    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.fill(`@${cyd} and @nobody-${tag} please look`);
    await box.press("Enter");
    await messageItem(a.page, `please look`).waitFor();
    // Not painted: neither resolves in this room.
    expect(await messageItem(a.page, "please look").locator("mark").count()).toBe(0);
    const offer = a.page.getByRole("region", { name: "Mentioned people not in this room" });
    await offer.getByText(`@${cyd} is not in this room and was not notified.`).waitFor();
    await scan(a.page, "17-handles-invite-offer");
    await shots(a.page, "invite-offer");
    const invites = offer.getByRole("button", { name: "Invite them?" });
    expect(await invites.count()).toBe(2);
    await invites.first().click();
    // Cyd gets the room in her sidebar; the offer keeps only the unknown handle.
    await anyRoomLink(c.page, name).waitFor({ timeout: 10_000 });
    await expect.poll(() => invites.count()).toBe(1);
    // The unknown handle: the server's words, not a silent failure.
    await invites.first().click();
    await offer.getByRole("alert").getByText(`Nobody has the handle @nobody-${tag}`).waitFor();
    await offer.getByRole("button", { name: "Dismiss" }).click();
    await expect.poll(() => offer.count()).toBe(0);
  });

  it("sign-up with a taken handle shows the error next to the Handle field", {
    timeout: 60_000,
  }, async () => {
    const holder = newUser("Holder");
    const context = (await suite.open()).context;
    await signUpInto(context, suite.server.url, holder);
    const { page } = await suite.open();
    await visit(page, "/sign-up");
    const user = newUser("Newbie");
    await page.getByLabel("Name").fill(user.name);
    const handle = page.getByLabel("Handle");
    // Suggested from the name as it is typed.
    await expect.poll(() => handle.inputValue()).toBe(handleOf(user.name));
    await handle.fill(handleOf(holder.name).toUpperCase());
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    const error = page.getByRole("alert").getByText("That handle is taken. Try another.");
    await error.waitFor();
    expect(await handle.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await handle.getAttribute("aria-describedby")) ?? "";
    expect(describedBy.split(" ")).toContain(await error.getAttribute("id"));
    expect(page.url()).toContain("/sign-up");
    await scan(page, "17-handles-sign-up-taken");
    await shots(page, "sign-up-taken");

    // A free handle goes through.
    await handle.fill(`new.${uniqueTag()}`);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/r/general");
  });
});
