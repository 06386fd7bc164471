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
  sendMessage,
  uniqueTag,
  useBrowserSuite,
} from "./browser";
import { shotsInBothSchemes } from "./shots";

const available = chromiumAvailable();

// The receiver listens on a port fixed before the server starts, so the
// server's allow list (PARLEY_WEBHOOK_ALLOW_HOSTS) can name it.
let receiver: Server;
const bodies: string[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      bodies.push(Buffer.concat(chunks).toString());
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ text: "Receiver says hi" }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Focuses a control and presses a key on it (keyboard only). */
async function press(page: Page, name: string, key = "Enter") {
  await page.getByRole("button", { name, exact: true }).focus();
  await page.keyboard.press(key);
}

// Issue 15: a room's outgoing webhooks in a real browser, by keyboard.
describe.skipIf(!available)("outgoing webhooks", () => {
  const suite = useBrowserSuite({ serverEnv: { PARLEY_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" } });

  it("a moderator adds one by keyboard, sees the secret once, its deliveries, and revokes it", {
    timeout: 90_000,
  }, async () => {
    const { page, problems } = await openAs(suite, "Hana");
    const tag = uniqueTag();
    await enter(page, "/r/general");
    const path = await createRoom(page, `Hooks ${tag}`);
    const port = (receiver.address() as AddressInfo).port;

    await press(page, "Integrations");
    const dialog = page.getByRole("dialog", { name: "Integrations" });
    await dialog.waitFor();
    await press(page, "New outgoing webhook");
    const name = dialog.getByLabel("Webhook name");
    await name.focus();
    await page.keyboard.type("Deploy bot");
    await page.keyboard.press("Tab");
    await page.keyboard.type(`http://127.0.0.1:${port}/hook`);
    // Tab to "Message created" (checked by default), then "Mention": check it.
    await page.keyboard.press("Tab");
    expect(
      await dialog
        .getByRole("checkbox", { name: "Message created" })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    expect(await dialog.getByRole("checkbox", { name: "Mention" }).isChecked()).toBe(true);
    expect(await dialog.getByRole("checkbox", { name: "Member joined" }).isChecked()).toBe(false);
    await press(page, "Create webhook");
    const secret = dialog.getByLabel("Signing secret");
    await secret.waitFor();
    expect(await secret.inputValue()).toMatch(/^whsec_/);
    await dialog.getByRole("list", { name: "Outgoing webhooks" }).getByText("Deploy bot").waitFor();

    // The open dialog: no serious axe findings, screenshots light and dark.
    expect(await seriousAxeViolations(page)).toEqual([]);
    const dir = join("docs", "issue-15");
    await shotsInBothSchemes(page, join(dir, "outgoing-webhook"));
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    // A message reaches the receiver, whose answer the bot posts back live.
    await sendMessage(page, `hello hook ${tag}`);
    await messageItem(page, "Receiver says hi").waitFor({ timeout: 15_000 });
    expect(bodies.some((b) => b.includes(`hello hook ${tag}`))).toBe(true);

    // Reopened, the dialog lists the delivery, and the secret is gone.
    await press(page, "Integrations");
    await dialog.waitFor();
    const deliveries = dialog.getByRole("table", { name: "Deliveries" });
    await deliveries.getByRole("cell", { name: "Message created" }).first().waitFor();
    await deliveries.getByRole("cell", { name: "Delivered" }).first().waitFor();
    expect(await dialog.getByLabel("Signing secret").count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await press(page, "Revoke Deploy bot");
    await dialog.getByText(`None for #Hooks ${tag} yet.`).waitFor();
    expect(path).toContain("hooks");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });

    // The first sign-up is the owner: Admin > Webhooks, by keyboard, lists
    // every delivery and takes a server-wide webhook.
    await page.getByRole("link", { name: "Admin", exact: true }).first().focus();
    await page.keyboard.press("Enter");
    await page.waitForURL("**/admin/users");
    const nav = page.getByRole("navigation", { name: "Admin" });
    await nav.getByRole("link", { name: "Webhooks", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL("**/admin/webhooks");
    const all = page.getByRole("table", { name: "Deliveries" }).last();
    await all.getByRole("cell", { name: "Deploy bot" }).first().waitFor();
    await press(page, "New outgoing webhook");
    await page.getByLabel("Webhook name").focus();
    await page.keyboard.type("Audit feed");
    await page.keyboard.press("Tab");
    await page.keyboard.type(`http://127.0.0.1:${port}/all`);
    await press(page, "Create webhook");
    await page.getByLabel("Signing secret").waitFor();
    await page.getByRole("list", { name: "Outgoing webhooks" }).getByText("Audit feed").waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shotsInBothSchemes(page, join(dir, "outgoing-webhook-admin"));
    expect(problems.pageErrors).toEqual([]);
  });
});
