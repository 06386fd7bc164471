import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
  type WebSocketRoute,
} from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { signUp } from "../test/helpers/clients";
import { type RunningServer, startServer } from "../test/helpers/server";

/** The system Chromium (Debian's `chromium` package); `npx playwright install` cannot run here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where screenshots and other artifacts go (git-ignored). */
export const RESULTS_DIR = "test-results";

/**
 * Whether the browser suites can run. With no Chromium: on CI (CI=true) this
 * throws, so the e2e files fail loudly instead of passing on nothing;
 * elsewhere it prints a banner and the caller skips.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  const hint = "install it with `apt-get install -y chromium` (or set CHROMIUM_PATH)";
  if (process.env.CI === "true") {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} and CI=true: ${hint}.`);
  }
  const line = "!".repeat(78);
  console.warn(
    `\n${line}\n!! BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM_PATH}\n!! ${hint}.\n!! On CI (CI=true) these tests fail instead of skipping.\n${line}\n`,
  );
  return false;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Page errors (uncaught exceptions) and console errors a page produced. */
export type PageProblems = { pageErrors: string[]; consoleErrors: string[] };

/** A fresh context (own cookies) and page on the server, recording page errors and dialogs. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems; dialogs: string[] }> {
  // The app's service worker (issue 13) answers page and asset requests
  // itself, which page.route cannot see: tests that stub or abort them
  // would pass for the wrong reason. e2e/pwa.test.ts opens with "allow".
  const context = await browser.newContext({ baseURL, serviceWorkers: "block", ...options });
  const page = await context.newPage();
  const problems: PageProblems = { pageErrors: [], consoleErrors: [] };
  const dialogs: string[] = [];
  page.on("pageerror", (error) => problems.pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") problems.consoleErrors.push(message.text());
  });
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, problems, dialogs };
}

export type OpenedPage = Awaited<ReturnType<typeof openPage>>;

export type BrowserSuite = {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A new context and page on the suite's server, closed after the test. */
  open: (options?: Parameters<Browser["newContext"]>[0]) => Promise<OpenedPage>;
};

/**
 * One production server and one Chromium for the enclosing describe block.
 * Pages opened with `open` are closed after each test; when a test fails,
 * each open page is saved to test-results/failures/ and the server's output
 * is printed.
 */
export function useBrowserSuite(options: { serverEnv?: Record<string, string> } = {}) {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let opened: OpenedPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ env: options.serverEnv }),
      launchBrowser(),
    ]);
  });

  afterEach(async ({ task }) => {
    const pages = opened;
    opened = [];
    if (task.result?.state === "fail") {
      const dir = join(RESULTS_DIR, "failures");
      mkdirSync(dir, { recursive: true });
      const slug = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
      await Promise.all(
        pages.map((p, index) =>
          p.page.screenshot({ path: join(dir, `${slug}-${index}.png`) }).catch(() => undefined),
        ),
      );
      for (const [index, p] of pages.entries()) {
        console.error(`page ${index} at ${p.page.url()}:`, p.problems, p.dialogs);
      }
      console.error(`server output:\n${server?.output() ?? ""}`);
    }
    await Promise.all(pages.map((p) => p.context.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  const suite: BrowserSuite = {
    get server() {
      if (!server) throw new Error("the suite's server is not started (beforeAll failed?)");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("the suite's browser is not launched (beforeAll failed?)");
      return browser;
    },
    async open(contextOptions) {
      const page = await openPage(suite.browser, suite.server.url, contextOptions);
      opened.push(page);
      return page;
    },
  };
  return suite;
}

export type TestUser = { name: string; email: string; password: string };

/** A unique user for one test. */
export function newUser(prefix = "user"): TestUser {
  const tag = randomUUID().slice(0, 8);
  return {
    name: `${prefix} ${tag}`,
    email: `${prefix.toLowerCase()}-${tag}@example.test`,
    password: "correct horse battery",
  };
}

/**
 * Waits until React has hydrated the page's <main>. Until then a click on a
 * submit button is a native form submission (a GET to the same URL), so
 * every test that submits a form right after a navigation must wait.
 */
export async function waitForHydration(page: Page, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const main = document.querySelector("main");
      return main !== null && Object.keys(main).some((key) => key.startsWith("__reactFiber$"));
    },
    undefined,
    { timeout, polling: 20 },
  );
}

/** Navigates and waits for hydration. */
export async function visit(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitForHydration(page);
}

/**
 * Signs a new user up through the HTTP API (faster than the form), gives the
 * page's context the session cookie, and opens `path` with a live connection.
 * Tests about the sign-up form itself use signUpViaUi.
 */
export async function signInFast(
  page: Page,
  baseUrl: string,
  prefix = "user",
  path = "/r/general",
): Promise<TestUser> {
  return signInAs(page, baseUrl, newUser(prefix), path);
}

/** Like signInFast, for a user the test made itself (say, a name without spaces). */
export async function signInAs(
  page: Page,
  baseUrl: string,
  user: TestUser,
  path = "/r/general",
): Promise<TestUser> {
  await signUpInto(page.context(), baseUrl, user);
  await visit(page, path);
  await expectConnected(page);
  return user;
}

/**
 * Signs a user up through the HTTP API and gives the context the session
 * cookie, without opening anything (the test visits the page it needs).
 */
export async function signUpInto(
  context: BrowserContext,
  baseUrl: string,
  user: TestUser | string = "user",
): Promise<TestUser> {
  const account = typeof user === "string" ? newUser(user) : user;
  await context.addCookies(await sessionCookies(baseUrl, account));
  return account;
}

/** Signs a user up through the HTTP API; returns the session cookie for a browser context. */
async function sessionCookies(baseUrl: string, user: TestUser) {
  const { cookie } = await signUp(baseUrl, user);
  const [name, ...rest] = cookie.split("=");
  return [
    {
      name: name ?? "",
      value: rest.join("="),
      url: baseUrl,
      httpOnly: true,
      sameSite: "Lax" as const,
    },
  ];
}

/**
 * A new context and page on the suite's server, signed in as a new user (or
 * `user`): the sign-up and the browser context are made at the same time.
 * Opens nothing; `enter` a room next.
 */
export async function openAs(
  suite: BrowserSuite,
  user: TestUser | string = "user",
): Promise<OpenedPage & { user: TestUser }> {
  const account = typeof user === "string" ? newUser(user) : user;
  const [opened, cookies] = await Promise.all([
    suite.open(),
    sessionCookies(suite.server.url, account),
  ]);
  await opened.context.addCookies(cookies);
  return { ...opened, user: account };
}

/** Opens `path` and waits for hydration and a live connection. */
export async function enter(page: Page, path: string): Promise<void> {
  await visit(page, path);
  await expectConnected(page);
}

/** Fills the /sign-up form and submits it (does not wait for the outcome). */
export async function submitSignUp(page: Page, user: TestUser): Promise<void> {
  await visit(page, "/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Signs up through the UI and waits for /r/general with a live connection. */
export async function signUpViaUi(page: Page, user: TestUser): Promise<void> {
  await submitSignUp(page, user);
  await page.waitForURL("**/r/general");
  await expectConnected(page);
}

/** Fills the /sign-in form and submits it (does not wait for the outcome). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await visit(page, "/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The room's message log (role log, named "Messages"). */
export function messageLog(page: Page) {
  return page.getByRole("log", { name: "Messages", exact: true });
}

/** The message in the log whose text contains `text`. */
export function messageItem(page: Page, text: string) {
  return messageLog(page).getByRole("listitem").filter({ hasText: text });
}

/** Polls a locator's text content (trimmed) until it equals `text`. */
export async function expectText(locator: Locator, text: string, timeout = 5_000): Promise<void> {
  await expect
    .poll(
      async () => ((await locator.textContent({ timeout: 500 }).catch(() => "")) ?? "").trim(),
      {
        timeout,
        interval: 50,
      },
    )
    .toBe(text);
}

/** Polls the number of elements a locator matches until it equals `count`. */
export async function expectCount(locator: Locator, count: number, timeout = 5_000): Promise<void> {
  await expect.poll(() => locator.count(), { timeout, interval: 50 }).toBe(count);
}

/** The connection status (role status) reads `text`: Connected, Reconnecting… or Offline. */
export async function expectStatus(page: Page, text: string, timeout = 10_000): Promise<void> {
  await expectText(page.getByRole("status"), text, timeout);
}

export function expectConnected(page: Page, timeout = 10_000): Promise<void> {
  return expectStatus(page, "Connected", timeout);
}

/** Types a message in the composer and presses Enter, then waits until it is acknowledged. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
  await expect.poll(() => box.inputValue()).toBe("");
  // The pending row says "Sending…" until the server's ack replaces it.
  await messageItem(page, text).first().waitFor({ timeout: 5_000 });
  await expectCount(messageLog(page).getByText("Sending…"), 0);
}

/**
 * Sends `text` from `sender` and waits until every `readers` page shows it.
 * Frames reach a socket in order, so whatever would have arrived before
 * this message (a duplicate, a replay, a stray send) has arrived once it
 * shows: the test can then check that something did not happen without
 * sleeping.
 */
export async function sendBarrier(sender: Page, reader: Page, text: string): Promise<void> {
  await sendMessage(sender, text);
  await messageItem(reader, text).waitFor({ timeout: 5_000 });
}

export function ensureResultsDir(): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return RESULTS_DIR;
}

/** A short random tag that keeps names (rooms, words) unique within a run. */
export function uniqueTag(): string {
  return randomUUID().slice(0, 8);
}

/** The navigation landmark "Rooms". */
export function roomsNav(page: Page) {
  return page.getByRole("navigation", { name: "Rooms" });
}

/** The room link whose accessible name is exactly `name` ("general", "general, 3 unread"). */
export function roomLink(page: Page, name: string) {
  return roomsNav(page).getByRole("link", { name, exact: true });
}

/** A room's link whatever its unread state ("general", "general, 3 unread, mentioned"). */
export function anyRoomLink(page: Page, roomName: string) {
  const escaped = roomName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return roomsNav(page).getByRole("link", {
    name: new RegExp(`^${escaped}(, \\d+ unread(, mentioned)?)?$`),
  });
}

/** Creates a room through the Rooms nav's "New room" form and waits until it is open. */
export async function createRoom(page: Page, name: string): Promise<string> {
  await roomsNav(page).getByRole("button", { name: "New room" }).click();
  await page.getByLabel("Room name").fill(name);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  await page.waitForURL(`**/r/${slug}`);
  // The URL changes before the new room renders: wait for its title.
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor({ timeout: 10_000 });
  await expectConnected(page);
  return `/r/${slug}`;
}

/**
 * The texts in the page's message log that match `pattern`, one entry per
 * list item, in the order shown (pending items included).
 */
export async function messageTexts(page: Page, pattern: RegExp): Promise<string[]> {
  const texts = await messageLog(page)
    .getByRole("listitem")
    .allTextContents()
    .catch(() => []);
  const global = new RegExp(
    pattern.source,
    pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
  );
  return texts.flatMap((text) => text.match(global) ?? []);
}

/** The members landmark ("Members") of a room page. */
export function membersPanel(page: Page) {
  return page.getByRole("complementary", { name: "Members" });
}

/** The member entry named "<name>, online" or "<name>, offline". */
export function memberEntry(page: Page, name: string, state: "online" | "offline") {
  return membersPanel(page).getByRole("listitem", { name: `${name}, ${state}`, exact: true });
}

/**
 * Routes a context's chat socket (/_ws) through Playwright so a test can cut
 * it like a network failure: `cut` takes the browser offline and closes the
 * open connections on both ends (the server sees the peer go, the page sees
 * a close while offline); connection attempts meanwhile reach no server (no
 * `ready` ever comes). `restore` closes those attempts and goes back online.
 * (Going offline alone is not enough: Chromium keeps the open socket and
 * delivers what was held back once it is online again.) Call before the
 * page opens its socket.
 */
export async function cuttableConnection(context: BrowserContext) {
  let isCut = false;
  type Pair = { page: WebSocketRoute; server: WebSocketRoute; serverClosed: Promise<void> };
  const live = new Set<Pair>();
  const held = new Set<WebSocketRoute>();
  await context.routeWebSocket(/\/_ws$/, (route) => {
    if (isCut) {
      held.add(route);
      return;
    }
    const server = route.connectToServer();
    let closed = () => {};
    const pair: Pair = {
      page: route,
      server,
      serverClosed: new Promise((resolve) => {
        closed = resolve;
      }),
    };
    live.add(pair);
    // Forward a close from either side (the default does too, but we also
    // need to forget the pair). A cut closes the page side itself, offline.
    route.onClose((code, reason) => {
      live.delete(pair);
      void closeRoute(pair.server, code, reason);
    });
    server.onClose((code, reason) => {
      live.delete(pair);
      closed();
      if (!isCut) void closeRoute(route, code, reason);
    });
  });
  return {
    async cut() {
      isCut = true;
      const pairs = [...live];
      live.clear();
      // The server side is a real WebSocket in the page (Playwright's mock
      // opens it there), so it follows the browser's rules and network:
      // 1001 is refused (the mock drops that error, so the server used to
      // hear of the cut only from the page side's close, and, offline, not
      // always), and once offline its close frame may never leave. So: close
      // it with a code a page may send, wait until it is closed, go offline,
      // and only then close the page side (the page then sees it offline).
      await Promise.all(pairs.map(({ server }) => closeRoute(server, 4001, "network cut")));
      await Promise.race([
        Promise.all(pairs.map(({ serverClosed }) => serverClosed)),
        new Promise((resolve) => setTimeout(resolve, 5_000)),
      ]);
      await context.setOffline(true);
      await Promise.all(pairs.map(({ page }) => closeRoute(page, 4001, "network cut")));
    },
    async restore() {
      isCut = false;
      const hanging = [...held];
      held.clear();
      await Promise.all(hanging.map((route) => closeRoute(route, 4001, "network cut")));
      await context.setOffline(false);
    },
  };
}

/** Closes one side of a routed socket; codes that cannot be sent (1005, 1006) close plainly. */
async function closeRoute(route: WebSocketRoute, code?: number, reason?: string): Promise<void> {
  try {
    await route.close({ code, reason });
  } catch {
    await route.close().catch(() => undefined);
  }
}
