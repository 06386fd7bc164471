import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { scan } from "./a11y";
import {
  anyRoomLink,
  chromiumAvailable,
  createRoom,
  enter,
  expectConnected,
  expectStatus,
  messageItem,
  newUser,
  openAs,
  sendMessage,
  signUpInto,
  uniqueTag,
  useBrowserSuite,
  visit,
} from "./browser";

const available = chromiumAvailable();

/** TanStack's unstyled error page says this; Parley's pages never do. */
const FRAMEWORK_ERROR = "Something went wrong";

/** The accessible name of the element that has focus (label, aria-label or text). */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (!active || active === document.body) return "";
    const input = active as HTMLInputElement;
    return (
      input.labels?.[0]?.textContent?.trim() ??
      active.getAttribute("aria-label") ??
      active.textContent?.trim() ??
      ""
    );
  });
}

async function expectFocusOn(page: Page, name: string): Promise<void> {
  await expect.poll(() => focusedName(page), { timeout: 5_000, interval: 50 }).toBe(name);
}

/** Marks the document, so a test can tell a reload (the mark is gone) from a client navigation. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });
}

function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true,
  );
}

/** Fills the sign-in form already on screen and submits it. */
async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe.skipIf(!available)("navigation while the server is down", () => {
  const suite = useBrowserSuite();

  it("a room switch during an outage shows no error page and recovers when the server returns", {
    timeout: 120_000,
  }, async () => {
    const tag = uniqueTag();
    const [a, b] = await Promise.all([openAs(suite, "Ada"), openAs(suite, "Ben")]);
    // Ben's public room: joined from Browse rooms (so it is in Ada's
    // sidebar, issue 17), never opened in her tab.
    await enter(b.page, "/r/general");
    const otherPath = await createRoom(b.page, `Later ${tag}`);
    await visit(a.page, "/rooms");
    const later = a.page
      .getByRole("list", { name: "Public rooms" })
      .getByRole("listitem", { name: `Later ${tag}` });
    await later.getByRole("button", { name: "Join" }).click();
    await later.getByRole("button", { name: "Open" }).waitFor();
    await enter(a.page, "/r/general");
    const held = `held in the tab ${tag}`;
    await sendMessage(a.page, held);
    await markDocument(a.page);

    // Focus in the composer: the banner must not take it.
    const composer = a.page.getByRole("textbox", { name: "Message" });
    await composer.focus();
    await suite.server.stop();
    await expectStatus(a.page, "Reconnecting…");
    const banner = a.page.getByRole("status");
    // A banner across the conversation's width, under the header's controls.
    const [bannerBox, mainBox, signOutBox] = await Promise.all([
      banner.boundingBox(),
      a.page.getByRole("main").boundingBox(),
      a.page.getByRole("button", { name: "Sign out" }).boundingBox(),
    ]);
    expect(bannerBox && mainBox && Math.abs(bannerBox.width - mainBox.width)).toBeLessThan(2);
    expect(bannerBox && signOutBox && bannerBox.y >= signOutBox.y + signOutBox.height).toBe(true);
    expect(await focusedName(a.page)).toBe("Message");
    await scan(a.page, "ux-banner");

    // A room the tab never opened: the offline page, never the framework's.
    await anyRoomLink(a.page, `Later ${tag}`).click();
    await a.page.waitForURL(`**${otherPath}`);
    const offline = a.page.getByRole("heading", { level: 1, name: "Waiting for the connection" });
    await offline.waitFor({ timeout: 10_000 });
    await a.page
      .getByRole("main")
      .getByRole("status")
      .getByText("You are offline; this room will load when the connection is back.")
      .waitFor();
    expect(await a.page.getByText(FRAMEWORK_ERROR).count()).toBe(0);
    await scan(a.page, "ux-offline-room");

    // Back to general: the tab holds its log, so it opens from there.
    await a.page.getByRole("link", { name: "Go to #general" }).click();
    await a.page.waitForURL("**/r/general");
    await messageItem(a.page, held).waitFor({ timeout: 10_000 });
    await a.page.getByRole("heading", { level: 1, name: "general" }).waitFor();
    await expectStatus(a.page, "Reconnecting…");

    // And to the other room again, still offline; then the server returns.
    await anyRoomLink(a.page, `Later ${tag}`).click();
    await offline.waitFor({ timeout: 10_000 });
    await suite.server.restart();
    // restart() resolves once the server answers HTTP: from then on, the figure.
    const answeredAt = Date.now();
    await a.page
      .getByRole("heading", { level: 1, name: `Later ${tag}`, exact: true })
      .waitFor({ timeout: 30_000 });
    console.info(`offline room loaded ${Date.now() - answeredAt} ms after the server answered`);
    await expectConnected(a.page, 30_000);
    expect(await sameDocument(a.page)).toBe(true);
    expect(await a.page.getByText(FRAMEWORK_ERROR).count()).toBe(0);
    // The room is live again: Ben's message arrives.
    await expectConnected(b.page, 30_000);
    await sendMessage(b.page, `after the outage ${tag}`);
    await messageItem(a.page, `after the outage ${tag}`).waitFor({ timeout: 10_000 });
    expect(a.problems.pageErrors).toEqual([]);
  });
});

describe.skipIf(!available)("deep links, focus, and the 404 and error pages", () => {
  const suite = useBrowserSuite();

  it("sign-in and sign-up focus their first field", async () => {
    const { page } = await suite.open();
    await visit(page, "/sign-in");
    await expectFocusOn(page, "Email");
    await visit(page, "/sign-up");
    await expectFocusOn(page, "Name");
  });

  it("a deep link survives sign-in, and focus lands in the composer", async () => {
    const tag = uniqueTag();
    const owner = await openAs(suite, "Owner");
    await enter(owner.page, "/r/general");
    const path = await createRoom(owner.page, `Deep ${tag}`);
    const text = `the message linked to ${tag}`;
    await sendMessage(owner.page, text);
    const seq = await messageItem(owner.page, text).getAttribute("data-seq");
    expect(seq).toMatch(/^\d+$/);

    // The same person in a browser with no session follows the link.
    const { page } = await suite.open();
    await page.goto(`${path}?m=${seq}`);
    await page.waitForURL("**/sign-in?**");
    expect(new URL(page.url()).searchParams.get("next")).toBe(`${path}?m=${seq}`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await expectFocusOn(page, "Email");
    await fillSignIn(page, owner.user.email, owner.user.password);
    await page.waitForURL((url) => url.pathname === path && url.searchParams.get("m") === seq);
    await page.getByRole("heading", { level: 1, name: `Deep ${tag}`, exact: true }).waitFor();
    await messageItem(page, text).waitFor();
    await expectFocusOn(page, "Message");
  });

  it("a deep link survives choosing to sign up; focus is in the composer after sign-up", async () => {
    const tag = uniqueTag();
    const owner = await openAs(suite, "Host");
    await enter(owner.page, "/r/general");
    const path = await createRoom(owner.page, `Welcome ${tag}`);

    const { page } = await suite.open();
    await visit(page, path);
    await page.waitForURL("**/sign-in?**");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL("**/sign-up?**");
    expect(new URL(page.url()).searchParams.get("next")).toBe(path);
    const user = newUser("Newcomer");
    await expectFocusOn(page, "Name");
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`**${path}`);
    await page.getByRole("heading", { level: 1, name: `Welcome ${tag}`, exact: true }).waitFor();
    await expectFocusOn(page, "Message");
  });

  it("an unsafe next lands in the default room", async () => {
    const user = newUser("Careful");
    const { context, page } = await suite.open();
    await signUpInto(context, suite.server.url, user);
    await context.clearCookies();
    for (const next of ["https://evil.example", "//evil.example", "/\\evil.example"]) {
      await visit(page, `/sign-in?next=${encodeURIComponent(next)}`);
      await fillSignIn(page, user.email, user.password);
      await page.waitForURL((url) => url.pathname === "/r/general", { timeout: 10_000 });
      expect(new URL(page.url()).origin).toBe(suite.server.url);
      await context.clearCookies();
    }
    // Signed in already: a safe next is followed at once, an unsafe one is not.
    await signUpInto(context, suite.server.url, newUser("Already"));
    await page.goto("/sign-in?next=%2F%2Fevil.example");
    await page.waitForURL((url) => url.pathname === "/r/general");
    await page.goto("/sign-in?next=%2Fthreads");
    await page.waitForURL((url) => url.pathname === "/threads");
  });

  it("an unknown path gets a styled 404 page with a way back", async () => {
    const { context, page } = await suite.open();
    await signUpInto(context, suite.server.url, "Lost");
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await page
      .getByRole("main")
      .getByRole("heading", { level: 1, name: "Page not found" })
      .waitFor();
    expect(await page.getByText("Not Found", { exact: true }).count()).toBe(0);
    await scan(page, "ux-404");
    await page.getByRole("link", { name: "Go to #general" }).click();
    await page.waitForURL("**/r/general");
    await expectConnected(page);
  });

  it("a route that fails gets a styled error page whose Try again recovers", async () => {
    const tag = uniqueTag();
    const a = await openAs(suite, "Err");
    await enter(a.page, "/r/general");
    const path = await createRoom(a.page, `Flaky ${tag}`);
    await enter(a.page, "/r/general");
    // The room's page request fails once with a server error (the socket stays up).
    const slug = path.slice("/r/".length);
    let failures = 0;
    await a.page.route(
      (url) => url.pathname.startsWith("/_serverFn/") && url.search.includes(slug),
      async (route) => {
        failures++;
        await route.fulfill({ status: 500, contentType: "text/plain", body: "boom" });
      },
    );
    await anyRoomLink(a.page, `Flaky ${tag}`).click();
    await a.page
      .getByRole("main")
      .getByRole("heading", { level: 1, name: "This page could not be loaded" })
      .waitFor({ timeout: 10_000 });
    expect(failures).toBeGreaterThan(0);
    expect(await a.page.getByText(FRAMEWORK_ERROR).count()).toBe(0);
    await scan(a.page, "ux-error");
    await a.page.unrouteAll();
    await a.page.getByRole("button", { name: "Try again" }).click();
    await a.page.getByRole("heading", { level: 1, name: `Flaky ${tag}`, exact: true }).waitFor();

    // The way back from an error page: a page that fails for good.
    await visit(a.page, `/r/${"x".repeat(101)}`);
    await a.page
      .getByRole("heading", { level: 1, name: "This page could not be loaded" })
      .waitFor();
    await a.page.getByRole("link", { name: "Go to #general" }).click();
    await a.page.waitForURL("**/r/general");
    await a.page.getByRole("heading", { level: 1, name: "general" }).waitFor();
    expect(a.problems.pageErrors).toEqual([]);
  });
});
