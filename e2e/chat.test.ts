import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  ensureResultsDir,
  expectConnected,
  expectCount,
  messageItem,
  messageLog,
  newUser,
  sendMessage,
  signInFast,
  signUpViaUi,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

describe.skipIf(!available)("chat in two browsers", () => {
  // A fixed server time zone, so that a reader elsewhere is certainly elsewhere.
  const suite = useBrowserSuite({ serverEnv: { TZ: "UTC", LANG: "en_US.UTF-8" } });

  it("delivers a message live, keeps it across a reload, and signs out", async () => {
    const [a, b] = await Promise.all([suite.open(), suite.open()]);
    const alice = newUser("Alice");
    const bob = newUser("Bob");
    await Promise.all([signUpViaUi(a.page, alice), signUpViaUi(b.page, bob)]);
    expect(new URL(a.page.url()).pathname).toBe("/r/general");
    expect(new URL(b.page.url()).pathname).toBe("/r/general");

    // A types and presses Enter; B sees it within 2 s.
    const text = `hello from alice ${Date.now()}`;
    const box = a.page.getByRole("textbox", { name: "Message" });
    await box.pressSequentially(text);
    const sentAt = Date.now();
    await box.press("Enter");
    await messageItem(b.page, text).waitFor({ timeout: 2_000 });
    expect(Date.now() - sentAt).toBeLessThan(2_000);

    // Each message is a listitem with author, time and text.
    const itemText = await messageItem(b.page, text).textContent();
    expect(itemText).toContain(alice.name);
    expect(itemText).toContain(text);
    expect(itemText).toMatch(/\d{1,2}[:.]\d{2}/);

    // A few more messages, from both sides, for the screenshot.
    await sendMessage(b.page, "Hi Alice! See https://example.com/x for the agenda.");
    await sendMessage(a.page, "Thanks Bob.\nI'll read it before the call.");
    await messageItem(b.page, "read it before the call").waitFor({ timeout: 2_000 });

    await b.page.reload();
    await messageItem(b.page, text).waitFor({ timeout: 5_000 });
    await expectCount(messageLog(b.page).getByRole("listitem"), 3);
    await expectConnected(b.page);
    await expectConnected(a.page);

    await b.page.screenshot({ path: join(ensureResultsDir(), "room.png") });

    await b.page.getByRole("button", { name: "Sign out" }).click();
    await b.page.waitForURL("**/sign-in");
    await b.page.goto("/r/general");
    // With the page asked for kept as the deep link (?next=).
    await b.page.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(b.page.url()).searchParams.get("next")).toBe("/r/general");

    // A is still signed in and connected.
    await expectConnected(a.page);
    expect(a.problems.pageErrors).toEqual([]);
    expect(b.problems.pageErrors).toEqual([]);
    expect([...a.dialogs, ...b.dialogs]).toEqual([]);
  });

  it("redirects a visitor without a session from /r/... to /sign-in", async () => {
    const { page } = await suite.open();
    const response = await page.goto("/r/general");
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(response?.ok()).toBe(true);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    const signUpLink = page.getByRole("link", { name: /create an account|sign up/i });
    // The deep link goes along to sign-up.
    expect(await signUpLink.getAttribute("href")).toBe("/sign-up?next=%2Fr%2Fgeneral");
    await signUpLink.click();
    await page.waitForURL((url) => url.pathname === "/sign-up");
    await page.getByRole("button", { name: "Create account" }).waitFor();
  });

  it("Shift+Enter inserts a newline instead of sending", async () => {
    const { page } = await suite.open();
    await signInFast(page, suite.server.url, "Shift");
    const items = messageLog(page).getByRole("listitem");
    const before = await items.count();

    const box = page.getByRole("textbox", { name: "Message" });
    await box.pressSequentially("first line");
    await box.press("Shift+Enter");
    await box.pressSequentially("second line");
    expect(await box.inputValue()).toBe("first line\nsecond line");
    // Nothing was sent: a send shows at once as a pending row.
    expect(await items.count()).toBe(before);

    await box.press("Enter");
    const item = messageItem(page, "second line");
    await expectCount(item.getByText("Sending…"), 0);
    // A wrong send by Shift+Enter would have gone first, so it would be here.
    expect(await items.count()).toBe(before + 1);
    expect(await item.textContent()).toContain("first line\nsecond line");
    expect(await box.inputValue()).toBe("");

    // The text survives a reload with its line break.
    await visit(page, "/r/general");
    expect(await messageItem(page, "second line").textContent()).toContain(
      "first line\nsecond line",
    );
  });

  it("hydrates message times without a mismatch for a reader in another time zone", async () => {
    const { page, problems } = await suite.open({
      timezoneId: "Pacific/Kiritimati",
      locale: "de-DE",
    });
    await signInFast(page, suite.server.url, "Kiri");
    await sendMessage(page, "what time is it there?");
    await visit(page, "/r/general");
    // The time gets its title only in the render after hydration, so once
    // it has one, hydration (and any mismatch it reports) is over.
    await messageItem(page, "what time is it there?").locator("time[title]").waitFor();
    expect(problems.pageErrors, `page errors: ${problems.pageErrors.join("; ")}`).toEqual([]);
  });
});
