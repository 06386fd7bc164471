import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  messageItem,
  openAs,
  uniqueTag,
  useBrowserSuite,
} from "./browser";
import { shotsInBothSchemes } from "./shots";

const available = chromiumAvailable();

const composer = (page: Page) => page.getByRole("textbox", { name: "Message" });
const commandList = (page: Page) => page.getByRole("listbox", { name: "Commands" });
const answers = (page: Page) => page.getByRole("list", { name: "Command answers" });

/** The names of the options the Commands listbox shows, in order. */
async function shown(page: Page): Promise<string[]> {
  const names = await commandList(page)
    .getByRole("option")
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label") ?? ""));
  return names.map((name) => name.split(" ")[0] ?? "");
}

/** Types a command in the focused composer and runs it with Enter. */
async function run(page: Page, text: string) {
  const box = composer(page);
  await box.focus();
  await page.keyboard.type(text);
  // A bare name still matching shows the list: Escape it, so Enter runs.
  if (await commandList(page).isVisible()) await page.keyboard.press("Escape");
  await page.keyboard.press("Enter");
  await expect.poll(() => box.inputValue()).toBe("");
}

// Issue 15: slash commands in a real browser, by keyboard.
describe.skipIf(!available)("slash commands", () => {
  const suite = useBrowserSuite();

  it("the Commands listbox filters as one types and picks by keyboard; built-ins run", {
    timeout: 120_000,
  }, async () => {
    const cora = await openAs(suite, "Cora");
    const mel = await openAs(suite, "Mel");
    const tag = uniqueTag();
    await enter(cora.page, "/r/general");
    const path = await createRoom(cora.page, `Cmd ${tag}`);
    await enter(mel.page, path);
    const page = cora.page;

    // "/" opens the list of every built-in; typing filters it.
    await composer(page).focus();
    await page.keyboard.type("/");
    await commandList(page).waitFor();
    expect(await shown(page)).toEqual(["/me", "/topic", "/invite", "/leave", "/mute", "/help"]);
    await page.keyboard.type("m");
    await expect.poll(() => shown(page)).toEqual(["/me", "/mute"]);
    // The textarea keeps focus and names the active option.
    const activeName = () =>
      page.evaluate(() => {
        const id = document.activeElement?.getAttribute("aria-activedescendant");
        return id ? (document.getElementById(id)?.getAttribute("aria-label") ?? "") : "";
      });
    await expect.poll(activeName).toMatch(/^\/me /);
    await page.keyboard.press("ArrowDown");
    await expect.poll(activeName).toMatch(/^\/mute /);

    // Open list: no serious axe findings; screenshots light and dark.
    expect(await seriousAxeViolations(page)).toEqual([]);
    const dir = join("docs", "issue-15");
    await shotsInBothSchemes(page, join(dir, "commands-listbox"));

    // Tab picks; the list closes and Enter runs /mute.
    await page.keyboard.press("Tab");
    await expect.poll(() => composer(page).inputValue()).toBe("/mute ");
    await commandList(page).waitFor({ state: "detached" });
    await page.keyboard.press("Enter");
    await answers(page).getByText("notifications are muted").waitFor();

    // Escape closes the list; a letter typed after opens it again.
    await page.keyboard.type("/h");
    await commandList(page).waitFor();
    await page.keyboard.press("Escape");
    await commandList(page).waitFor({ state: "detached" });
    await page.keyboard.type("e");
    await expect.poll(() => shown(page)).toEqual(["/help"]);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    const help = answers(page).getByRole("listitem").filter({ hasText: "/invite @name" });
    await help.waitFor();
    expect(await help.textContent()).toContain("/topic <text>");
    // Only this tab sees it: nothing reached the room.
    expect(await answers(mel.page).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shotsInBothSchemes(page, join(dir, "commands-help"));
    await help.getByRole("button", { name: "Dismiss" }).focus();
    await page.keyboard.press("Enter");
    await help.waitFor({ state: "detached" });

    // An unknown command answers how to find the list, and sends nothing.
    await run(page, "/nope");
    await answers(page)
      .getByText("Unknown command /nope. Type /help for the list.", { exact: false })
      .waitFor();

    // /me shows to everyone as an action; // sends a literal slash.
    await run(page, `/me waves ${tag}`);
    const action = messageItem(mel.page, `waves ${tag}`);
    await action.waitFor({ timeout: 10_000 });
    expect(await action.locator("[data-action]").textContent()).toBe(
      `*${cora.user.name} waves ${tag}*`,
    );
    await run(page, `//shrug ${tag}`);
    await messageItem(mel.page, `/shrug ${tag}`).waitFor({ timeout: 10_000 });

    // /topic: the creator (a moderator) sets it, live for the member...
    await run(page, `/topic Releases ${tag}`);
    await answers(page).getByText(`Topic set to “Releases ${tag}”.`).waitFor();
    await mel.page.getByTitle(`Releases ${tag}`).waitFor({
      timeout: 10_000,
    });
    // ...and a member is refused, with the reason shown.
    await run(mel.page, "/topic mine");
    await answers(mel.page).getByText("Only moderators can change the topic.").waitFor();
    // A usage hint for a missing argument.
    await run(mel.page, "/invite");
    await answers(mel.page).getByText("Usage: /invite @name").waitFor();

    // /leave takes the member out, to general.
    await run(mel.page, "/leave");
    await mel.page.waitForURL("**/r/general", { timeout: 10_000 });
  });
});
