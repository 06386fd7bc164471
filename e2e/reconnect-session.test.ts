import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openDb } from "../test/helpers/integration-extra";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  createRoom,
  expectConnected,
  expectStatus,
  signUpInto,
  uniqueTag,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

const ENDED = "Your session ended. Sign in again.";

/**
 * The tab has stopped and shows the sign-in form with the session-ended
 * line, carrying the page it was on as `next` (default: /r/general).
 */
async function expectSentToSignIn(page: Page, timeout: number, from = "/r/general"): Promise<void> {
  const next = encodeURIComponent(from).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await page.waitForURL(new RegExp(`/sign-in\\?reason=session-ended&next=${next}$`), { timeout });
  await page.getByText(ENDED, { exact: true }).waitFor({ timeout: 5_000 });
  await page.getByRole("heading", { name: "Sign in to Parley" }).waitFor();
}

describe.skipIf(!available)("reconnect when the session is gone", () => {
  const suite = useBrowserSuite();

  it("sends the other tab to /sign-in when the person signs out in one tab (close 4001)", async () => {
    const { context, page: stays } = await suite.open();
    await signUpInto(context, suite.server.url, "Out");
    const signsOut = await context.newPage();
    await Promise.all([visit(stays, "/r/general"), visit(signsOut, "/r/general")]);
    await Promise.all([expectConnected(stays), expectConnected(signsOut)]);

    await signsOut.getByRole("button", { name: "Sign out" }).click();
    // The tab that signed out lands on the plain sign-in page.
    await signsOut.waitForURL(/\/sign-in$/);
    await expectSentToSignIn(stays, 10_000);
    expect(await signsOut.getByText(ENDED).count()).toBe(0);
    // The socket stopped for good (test/unit/socket.test.ts); the chat
    // layout is gone, so nothing here opens another.
    expect(await stays.getByRole("log", { name: "Messages" }).count()).toBe(0);
    expect(await seriousAxeViolations(stays, "main")).toEqual([]);
    await screenshotLightAndDark(stays, "session-ended");
  });

  it("signing in again after a revoked session returns to the room the tab was in", {
    timeout: 60_000,
  }, async () => {
    const { context, page: stays } = await suite.open();
    const user = await signUpInto(context, suite.server.url, "Back");
    await visit(stays, "/r/general");
    await expectConnected(stays);
    const room = await createRoom(stays, `Return ${uniqueTag()}`);
    await stays.waitForURL(`**${room}`);
    await expectConnected(stays);

    // Revoked from another tab (sign out there): this tab's socket closes with 4001.
    const other = await context.newPage();
    await visit(other, "/r/general");
    await other.getByRole("button", { name: "Sign out" }).click();
    await other.waitForURL(/\/sign-in$/);
    await expectSentToSignIn(stays, 10_000, room);

    // Signing in on the form goes back to that room, not to #general.
    await stays.getByLabel("Email").fill(user.email);
    await stays.getByLabel("Password").fill(user.password);
    await stays.getByRole("button", { name: "Sign in" }).click();
    await stays.waitForURL(`**${room}`, { timeout: 10_000 });
    expect(new URL(stays.url()).pathname).toBe(room);
    await expectConnected(stays);
  });

  it("sends the tab to /sign-in when its session was deleted while the server was down (401)", async () => {
    const { context, page } = await suite.open();
    await signUpInto(context, suite.server.url, "Gone");
    await visit(page, "/r/general");
    await expectConnected(page);

    await suite.server.stop();
    await expectStatus(page, "Reconnecting…");
    const db = openDb(suite.server.dataDir);
    try {
      const [cookie] = await context.cookies();
      const token = decodeURIComponent(cookie?.value ?? "").split(".")[0] ?? "";
      expect(db.prepare("DELETE FROM session WHERE token = ?").run(token).changes).toBe(1);
    } finally {
      db.close();
    }
    await suite.server.restart();
    // Upgrades now fail with 401; a probe after the second failure hears
    // "signed out". Backoff steps of up to 0.5, 1, 2, 4 and 8 s may pass
    // first: allow twice that.
    await expectSentToSignIn(page, 30_000);
  });
});
