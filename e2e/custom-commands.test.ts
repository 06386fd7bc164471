import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  enter,
  messageItem,
  openAs,
  uniqueTag,
  useBrowserSuite,
  visit,
} from "./browser";
import { shotsInBothSchemes } from "./shots";

const available = chromiumAvailable();

// The command service: /weather answers the user alone, /deploy in the room.
let service: Server;
const bodies: string[] = [];

beforeAll(async () => {
  service = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      bodies.push(body);
      const { text } = JSON.parse(body) as { text: string };
      response.writeHead(200, { "content-type": "application/json" });
      const answer = request.url === "/weather" ? `Sunny in ${text}` : `Deploying ${text} now`;
      response.end(JSON.stringify({ text: answer }));
    });
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  service?.closeAllConnections();
  await new Promise((resolve) => service?.close(resolve));
});

const composer = (page: Page) => page.getByRole("textbox", { name: "Message" });
const commandList = (page: Page) => page.getByRole("listbox", { name: "Commands" });
const answers = (page: Page) => page.getByRole("list", { name: "Command answers" });

/** Registers a command on /admin/commands by keyboard; answers its secret. */
async function register(
  page: Page,
  fields: { name: string; description: string; url: string; inRoom: boolean },
): Promise<string> {
  await page.getByLabel("Command name").focus();
  await page.keyboard.type(fields.name);
  await page.keyboard.press("Tab");
  await page.keyboard.type(fields.description);
  await page.keyboard.press("Tab");
  await page.keyboard.type(fields.url);
  // Tab reaches the checked radio, "Only the user who ran it"; an arrow moves on.
  await page.keyboard.press("Tab");
  expect(
    await page
      .getByRole("radio", { name: "Only the user who ran it" })
      .evaluate((el) => el === document.activeElement && (el as HTMLInputElement).checked),
  ).toBe(true);
  if (fields.inRoom) await page.keyboard.press("ArrowDown");
  expect(await page.getByRole("radio", { name: "In the room" }).isChecked()).toBe(fields.inRoom);
  await page.keyboard.press("Tab");
  expect(
    await page
      .getByRole("button", { name: "Create command" })
      .evaluate((el) => el === document.activeElement),
  ).toBe(true);
  await page.keyboard.press("Enter");
  await page.getByRole("status").getByText(`Created /${fields.name}.`).waitFor();
  return page.getByLabel("Signing secret").inputValue();
}

// Issue 15: custom slash commands, registered and run in a real browser, by keyboard.
describe.skipIf(!available)("custom slash commands", () => {
  const suite = useBrowserSuite({ serverEnv: { PARLEY_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" } });

  it("an admin registers two by keyboard; the composer offers and runs them", {
    timeout: 120_000,
  }, async () => {
    const cora = await openAs(suite, "Cora"); // the first sign-up: the owner
    const mel = await openAs(suite, "Mel");
    const tag = uniqueTag();
    const port = (service.address() as AddressInfo).port;
    const page = cora.page;
    await enter(page, "/r/general");
    const path = await createRoom(page, `Custom ${tag}`);

    // Admin > Commands, by keyboard.
    await page.getByRole("link", { name: "Admin", exact: true }).first().focus();
    await page.keyboard.press("Enter");
    await page.waitForURL("**/admin/users");
    await page
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Commands", exact: true })
      .focus();
    await page.keyboard.press("Enter");
    await page.waitForURL("**/admin/commands");
    await page.getByText("No custom commands yet.").waitFor();

    const secret = await register(page, {
      name: "weather",
      description: "Today's weather for a city",
      url: `http://127.0.0.1:${port}/weather`,
      inRoom: false,
    });
    expect(secret).toMatch(/^cmdsec_/);
    await register(page, {
      name: "deploy",
      description: "Deploy a branch",
      url: `http://127.0.0.1:${port}/deploy`,
      inRoom: true,
    });
    const table = page.getByRole("table", { name: "Custom commands" });
    await table.getByRole("cell", { name: "/weather", exact: true }).waitFor();
    await table.getByRole("cell", { name: "/deploy", exact: true }).waitFor();
    // A bad name is refused with the reason; nothing is added.
    await page.getByLabel("Command name").fill("help");
    await page.getByLabel("Description").fill("Mine");
    await page.getByLabel("Target URL").fill(`http://127.0.0.1:${port}/help`);
    await page.getByRole("button", { name: "Create command" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("alert").getByText("/help is a built-in command.").waitFor();
    expect(await table.getByRole("row").count()).toBe(3);
    expect(await seriousAxeViolations(page)).toEqual([]);
    const dir = join("docs", "issue-15");
    await shotsInBothSchemes(page, join(dir, "admin-commands"), { fullPage: true });

    // In the room, "/" offers the custom commands after the built-ins.
    await enter(page, path);
    await enter(mel.page, path);
    await composer(page).focus();
    await page.keyboard.type("/");
    await commandList(page)
      .getByRole("option", { name: /^\/weather / })
      .waitFor();
    await page.keyboard.type("we");
    await expect
      .poll(() =>
        commandList(page)
          .getByRole("option")
          .evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label") ?? "")),
      )
      .toEqual(["/weather Today's weather for a city"]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shotsInBothSchemes(page, join(dir, "commands-custom"));

    // Tab picks it; its answer is for Cora alone.
    await page.keyboard.press("Tab");
    await expect.poll(() => composer(page).inputValue()).toBe("/weather ");
    await page.keyboard.type("Oslo");
    await page.keyboard.press("Enter");
    await answers(page).getByText("Sunny in Oslo").waitFor();
    expect(await answers(mel.page).count()).toBe(0);
    expect(JSON.parse(bodies.at(-1) ?? "{}")).toMatchObject({
      command: "/weather",
      text: "Oslo",
    });

    // /deploy answers in the room, live for Mel, as "Cora via /deploy".
    await composer(page).focus();
    await page.keyboard.type(`/deploy main-${tag}`);
    if (await commandList(page).isVisible()) await page.keyboard.press("Escape");
    await page.keyboard.press("Enter");
    const posted = messageItem(mel.page, `Deploying main-${tag} now`);
    await posted.waitFor({ timeout: 10_000 });
    expect(await posted.textContent()).toContain("via /deploy");
    expect(await seriousAxeViolations(mel.page)).toEqual([]);
    await shotsInBothSchemes(mel.page, join(dir, "commands-room-answer"));

    // Deleted by keyboard, /weather is unknown afterwards.
    await visit(page, "/admin/commands");
    await page.getByRole("button", { name: "Delete /weather" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").getByText("Deleted /weather.").waitFor();
    await page
      .getByRole("table", { name: "Custom commands" })
      .getByRole("cell", { name: "/weather", exact: true })
      .waitFor({ state: "detached" });
    await enter(page, path);
    await composer(page).focus();
    await page.keyboard.type("/weather Rome");
    if (await commandList(page).isVisible()) await page.keyboard.press("Escape");
    await page.keyboard.press("Enter");
    await answers(page)
      .getByText("Unknown command /weather. Type /help for the list.", { exact: false })
      .waitFor();
    expect(cora.problems.pageErrors).toEqual([]);
  });
});
