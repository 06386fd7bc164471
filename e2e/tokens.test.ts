import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { connectWithToken } from "../test/helpers/bots";
import { connect, getPage } from "../test/helpers/clients";
import { httpFrom } from "../test/helpers/http-from";
import { sendAndAck } from "../test/helpers/integration-extra";
import { scan } from "./a11y";
import {
  chromiumAvailable,
  enter,
  membersPanel,
  messageItem,
  type OpenedPage,
  openAs,
  type TestUser,
  useBrowserSuite,
  visit,
} from "./browser";
import { shotsInBothSchemes } from "./shots";

const available = chromiumAvailable();
const SHOTS = join("docs", "issue-15");

const shots = (page: Page, name: string) => shotsInBothSchemes(page, join(SHOTS, `${name}`));

/** Presses Tab until `target` has focus (keyboard only, as a person would). */
async function tabTo(page: Page, target: Locator, limit = 30) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

/** The cookie header of an opened page's session, for a node socket as that person. */
async function cookieOf(opened: OpenedPage): Promise<string> {
  const cookies = await opened.context.cookies();
  return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

/** Fills the "New token" dialog by keyboard and answers the token it shows once. */
async function makeTokenByKeyboard(page: Page, name: string, scopes: string[]): Promise<string> {
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Token name", { exact: true }).waitFor();
  await expect
    .poll(() =>
      dialog
        .getByLabel("Token name", { exact: true })
        .evaluate((el) => el === document.activeElement),
    )
    .toBe(true);
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  // Never -> 7 days -> 30 days.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  expect(await dialog.getByLabel("Expires").inputValue()).toBe("30");
  for (const scope of ["write", "admin"]) {
    const box = dialog.getByRole("checkbox", { name: scope, exact: true });
    if (!scopes.includes(scope) || (await box.count()) === 0) continue;
    await tabTo(page, box);
    await page.keyboard.press("Space");
  }
  await tabTo(page, dialog.getByRole("button", { name: "Create token" }));
  await page.keyboard.press("Enter");
  const token = dialog.getByRole("textbox", { name: "Token", exact: true });
  await token.waitFor();
  return token.inputValue();
}

// Issue 15: /settings/tokens and /admin/bots in a real browser, keyboard only.
describe.skipIf(!available)("tokens and bots in the browser", () => {
  const suite = useBrowserSuite();
  let owner: TestUser | undefined;

  it("makes a token by keyboard, shown once, and revoking it closes its socket", {
    timeout: 120_000,
  }, async () => {
    const opened = await openAs(suite, "Owner");
    owner = opened.user;
    const { page, problems } = opened;
    await visit(page, "/settings/tokens");
    await page.getByRole("table", { name: "Tokens" }).waitFor();
    await tabTo(page, page.getByRole("button", { name: "New token" }));
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "New token" });
    await dialog.waitFor();
    // The owner is offered admin; read is ticked to start with.
    expect(await dialog.getByRole("checkbox", { name: "admin", exact: true }).count()).toBe(1);
    expect(await dialog.getByRole("checkbox", { name: "read", exact: true }).isChecked()).toBe(
      true,
    );
    await scan(page, "tokens-dialog");
    const token = await makeTokenByKeyboard(page, "CI deploy", ["read", "write"]);
    expect(token).toMatch(/^pat_/);
    await dialog.getByRole("button", { name: "Copy" }).waitFor();
    await shots(page, "tokens-created");
    // It works on the socket as the owner.
    const socket = await connectWithToken(suite.server.url, token);
    await tabTo(page, dialog.getByRole("button", { name: "Done" }));
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached" });
    const table = page.getByRole("table", { name: "Tokens" });
    const row = table.getByRole("row").filter({ hasText: "CI deploy" });
    await row.waitFor();
    await expect.poll(async () => (await row.textContent()) ?? "").toContain("read, write");
    // Shown once: the page never has the token again.
    expect(await page.content()).not.toContain(token);
    await shots(page, "tokens-page");
    await scan(page, "tokens-page");
    await tabTo(page, row.getByRole("button", { name: "Revoke" }));
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("dialog", { name: "Revoke CI deploy?" });
    await confirm.waitFor();
    await tabTo(page, confirm.getByRole("button", { name: "Revoke token" }));
    await page.keyboard.press("Enter");
    expect((await socket.closed).code).toBe(4001);
    await row.waitFor({ state: "detached" });
    await page.getByText("Revoked CI deploy.").waitFor();
    expect(problems.pageErrors).toEqual([]);
  });

  it("an admin makes a bot and its token; its messages and membership carry the badge", {
    timeout: 120_000,
  }, async () => {
    if (!owner) throw new Error("the first test signs the owner up");
    const opened = await suite.open();
    const answer = await httpFrom(suite.server.url, "/api/auth/sign-in/email", {
      body: { email: owner.email, password: owner.password },
    });
    const [name, ...rest] = (answer.cookie ?? "").split("=");
    await opened.context.addCookies([
      { name: name ?? "", value: rest.join("="), url: suite.server.url, httpOnly: true },
    ]);
    const { page, problems } = opened;
    await visit(page, "/admin/bots");
    await page.getByRole("heading", { name: "Bots" }).waitFor();
    await tabTo(page, page.getByRole("button", { name: "New bot" }));
    await page.keyboard.press("Enter");
    const made = page.getByRole("dialog", { name: "New bot" });
    await made.getByLabel("Bot name").waitFor();
    await expect
      .poll(() => made.getByLabel("Bot name").evaluate((el) => el === document.activeElement))
      .toBe(true);
    await page.keyboard.type("Deploy Bot");
    await tabTo(page, made.getByRole("button", { name: "Create bot" }));
    await page.keyboard.press("Enter");
    const section = page.getByRole("region", { name: "Bot Deploy Bot" });
    await section.waitFor();
    await tabTo(page, section.getByRole("button", { name: "New token for Deploy Bot" }));
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "New token for Deploy Bot" });
    await dialog.waitFor();
    // A bot is a member: no admin scope offered.
    expect(await dialog.getByRole("checkbox", { name: "admin", exact: true }).count()).toBe(0);
    const token = await makeTokenByKeyboard(page, "deploys", ["read", "write"]);
    await tabTo(page, dialog.getByRole("button", { name: "Done" }));
    await page.keyboard.press("Enter");
    const row = section
      .getByRole("table", { name: "Tokens of Deploy Bot" })
      .getByRole("row")
      .filter({ hasText: "deploys" });
    await row.waitFor();
    await shots(page, "admin-bots");
    await scan(page, "admin-bots");

    // The bot joins general and posts: the owner's tab shows the badge on it.
    const bot = await connectWithToken(suite.server.url, token);
    const botReady = await bot.next((f) => f.type === "ready");
    const botId = (botReady.user as { id: string }).id;
    // Opening the room's page joins it (the owner has only seen settings pages so far).
    const ownerCookie = await cookieOf(opened);
    expect((await getPage(suite.server.url, "/r/general", ownerCookie)).status).toBe(200);
    const ownerSocket = await connect(suite.server.url, ownerCookie);
    const ownerReady = await ownerSocket.next((f) => f.type === "ready");
    const rooms = ownerReady.rooms as { id: string; slug: string }[];
    const general = rooms.find((r) => r.slug === "general")?.id ?? "";
    ownerSocket.send({ type: "invite", roomId: general, userId: botId, ref: "bot-in" });
    const invited = await ownerSocket.next((f) => f.ref === "bot-in");
    expect(invited, JSON.stringify(invited)).toMatchObject({ type: "ok" });
    await bot.next((f) => f.type === "room_added");
    const chat = await openAs(suite, "Reader");
    await enter(chat.page, "/r/general");
    await sendAndAck(bot, general, "build 42 passed");
    const item = messageItem(chat.page, "build 42 passed");
    await item.getByText("bot", { exact: true }).waitFor();
    await membersPanel(chat.page)
      .getByRole("listitem", { name: "Deploy Bot, online", exact: true })
      .getByText("bot", { exact: true })
      .waitFor();
    await shots(chat.page, "bot-badge");
    await scan(chat.page, "bot-badge");
    // Its profile card says so too (opened by keyboard from the message's name).
    const nameButton = item.getByRole("button", { name: "Deploy Bot", exact: true });
    await nameButton.focus();
    await chat.page.keyboard.press("Enter");
    const card = chat.page.getByRole("dialog", { name: "Profile of Deploy Bot" });
    await card.getByText("bot", { exact: true }).waitFor();
    await shots(chat.page, "bot-profile-card");
    await chat.page.keyboard.press("Escape");
    await card.waitFor({ state: "detached" });

    // Revoking its token in the console closes the bot's socket.
    await tabTo(page, row.getByRole("button", { name: "Revoke" }));
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("dialog", { name: "Revoke deploys?" });
    await tabTo(page, confirm.getByRole("button", { name: "Revoke token" }));
    await page.keyboard.press("Enter");
    expect((await bot.closed).code).toBe(4001);
    await row.waitFor({ state: "detached" });
    ownerSocket.close();
    expect(problems.pageErrors).toEqual([]);
    expect(chat.problems.pageErrors).toEqual([]);
  });
});
