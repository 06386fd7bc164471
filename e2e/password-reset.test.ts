import { copyFileSync, mkdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { signUp } from "../test/helpers/clients";
import { openDb } from "../test/helpers/integration-extra";
import { callServerFn } from "../test/helpers/server-fns";
import { startSmtpSink } from "../test/helpers/smtp-sink";
import { scan, screenshotLightAndDark } from "./a11y";
import {
  chromiumAvailable,
  expectConnected,
  newUser,
  submitSignIn,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();
// The sink first: the suite's server is started with its address.
const sink = await startSmtpSink();
afterAll(() => sink.close());

describe.skipIf(!available)("password reset and invite links (issue 14)", () => {
  const suite = useBrowserSuite({ serverEnv: { SMTP_URL: sink.url } });

  it("password reset via the email caught by a test SMTP server", async () => {
    const user = newUser("Reset");
    await signUp(suite.server.url, user);
    const { page } = await suite.open();
    await visit(page, "/sign-in");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL("**/forgot-password");
    await visit(page, "/forgot-password");
    await scan(page, "forgot-password");
    const shots = await screenshotLightAndDark(page, "forgot-password");
    mkdirSync("docs/issue-14", { recursive: true });
    for (const shot of shots) {
      copyFileSync(shot, `docs/issue-14/${shot.split("/").pop()}`);
    }
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("status").filter({ hasText: "a link to set a new password" }).waitFor();

    const [mail] = await sink.waitFor(user.email);
    const link = /https?:\/\/\S+\/api\/auth\/reset-password\/\S+/.exec(
      mail?.parsed.text ?? "",
    )?.[0];
    if (!link) throw new Error("no reset link in the mail");
    await page.goto(link);
    await page.waitForURL("**/reset-password?token=*");
    await visit(page, page.url());
    await page.getByLabel("New password").fill("a fresh new secret");
    await page.getByRole("button", { name: "Set password" }).click();
    await page.getByRole("heading", { name: "Your password is set" }).waitFor();

    await submitSignIn(page, user.email, "a fresh new secret");
    await page.waitForURL("**/r/general");
    await expectConnected(page);
  });

  it("the invite page explains the link, and signing up through it joins the room", async () => {
    const owner = await signUp(suite.server.url, newUser("Owner"));
    const db = openDb(suite.server.dataDir);
    try {
      db.prepare("UPDATE user SET role = 'admin' WHERE email = ?").run(owner.email);
      db.prepare(
        "INSERT INTO server_setting (key, value) VALUES ('signupPolicy', '\"invite\"') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run();
    } finally {
      db.close();
    }
    const room = await callServerFn<{ ok: true; room: { id: string; slug: string } }>(
      suite.server.url,
      "createRoomFn",
      { name: `invited ${Date.now() % 100000}`, private: true },
      { cookie: owner.cookie },
    );
    if (!room.ok) throw new Error(JSON.stringify(room.error));
    // The admin makes the link from the room header's "Invite link".
    const { page: admin, context: adminContext } = await suite.open();
    const [name, value] = owner.cookie.split("=");
    await adminContext.addCookies([
      { name: name ?? "", value: value ?? "", url: suite.server.url },
    ]);
    await visit(admin, `/r/${room.result.room.slug}`);
    await admin.getByRole("button", { name: "Invite link" }).click();
    const dialog = admin.getByRole("dialog", { name: /Invite link for/ });
    await dialog.getByLabel("Use limit").selectOption("5");
    await dialog.getByLabel("Expires after").selectOption("1d");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const field = dialog.getByRole("textbox", { name: "Invite link" });
    await field.waitFor();
    const invitePath = new URL(await field.inputValue()).pathname;
    expect(invitePath).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);

    const { page } = await suite.open();
    await visit(page, invitePath);
    await page.getByRole("heading", { name: "You are invited to Parley" }).waitFor();
    expect(await page.locator("dl").textContent()).toMatch(/Uses left\s*5/);
    await scan(page, "invite");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL("**/sign-up?**");
    await visit(page, page.url());
    const user = newUser("Invited");
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`**/r/${room.result.room.slug}`);
    await expectConnected(page);

    // A revoked or unknown link says why it cannot be used.
    await visit(page, "/invite/no-such-token");
    await page.getByRole("heading", { name: "This invite link cannot be used" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("does not exist");
  });
});
