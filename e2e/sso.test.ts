import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAccount, startOidcProvider, type TestProvider } from "../test/helpers/oidc-provider";
import { freePort, type RunningServer, startServer } from "../test/helpers/server";
import { seriousAxeViolations } from "./a11y";
import {
  chromiumAvailable,
  expectConnected,
  launchBrowser,
  type OpenedPage,
  openPage,
  visit,
} from "./browser";

const available = chromiumAvailable();

/** Where issue 14's screenshots are kept (committed, for review). */
const SHOTS = "docs/issue-14";

async function shots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
      .toBe(scheme === "dark");
    await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}

/** A test OpenID Provider, a Parley server configured for it, and a browser. */
function useSsoSuite(env: Record<string, string> = {}) {
  let op: TestProvider | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const opened: OpenedPage[] = [];
  beforeAll(async () => {
    const port = await freePort();
    op = await startOidcProvider({
      redirectUris: [`http://127.0.0.1:${port}/api/auth/callback/oidc`],
    });
    [server, browser] = await Promise.all([
      startServer({
        port,
        env: {
          PARLEY_OIDC_ISSUER: op.issuer,
          PARLEY_OIDC_CLIENT_ID: op.clientId,
          PARLEY_OIDC_CLIENT_SECRET: op.clientSecret,
          PARLEY_OIDC_NAME: "Acme SSO",
          ...env,
        },
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await Promise.all(opened.map((p) => p.context.close().catch(() => undefined)));
    await browser?.close();
    await server?.stop();
    await op?.stop();
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });
  return {
    get op() {
      if (!op) throw new Error("the provider is not started");
      return op;
    },
    get server() {
      if (!server) throw new Error("the server is not started");
      return server;
    },
    async open() {
      if (!browser || !server) throw new Error("the suite is not started");
      const page = await openPage(browser, server.url);
      opened.push(page);
      return page;
    },
  };
}

describe.skipIf(!available)("single sign-on in the browser", () => {
  const suite = useSsoSuite();

  it("signs in through the provider from the keyboard", async () => {
    const account = suite.op.addAccount(newAccount("browser"));
    suite.op.signInAs(account.sub);
    const { page, problems } = await suite.open();
    await visit(page, "/sign-in");
    const button = page.getByRole("button", { name: "Sign in with Acme SSO" });
    await button.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname.startsWith("/r/"), { timeout: 15_000 });
    await expectConnected(page);
    await expect
      .poll(() => page.evaluate(() => document.body.textContent ?? ""))
      .toContain(account.name ?? "");
    expect(problems.pageErrors).toEqual([]);
  });

  it("says in words why the provider sent the person back", async () => {
    const account = suite.op.addAccount(newAccount("refused"));
    suite.op.signInAs(account.sub);
    suite.op.refuseWith("access_denied");
    try {
      const { page } = await suite.open();
      await visit(page, "/sign-in");
      await page.getByRole("button", { name: "Sign in with Acme SSO" }).click();
      await page.waitForURL((url) => url.searchParams.get("error") === "access_denied", {
        timeout: 15_000,
      });
      const alert = page.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toBe(
        "Acme SSO did not allow the sign-in. Try again, or ask an admin.",
      );
      // The provider's own description (anyone can write one into a link) is not shown.
      expect(await page.evaluate(() => document.body.textContent ?? "")).not.toContain(
        "test provider",
      );
    } finally {
      suite.op.refuseWith(null);
    }
  });

  it("has no serious axe findings on /sign-in with the button, light and dark", async () => {
    const { page } = await suite.open();
    await visit(page, "/sign-in?error=account_not_linked");
    await page.getByRole("button", { name: "Sign in with Acme SSO" }).waitFor();
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect
        .poll(() => page.evaluate(() => document.documentElement.classList.contains("dark")))
        .toBe(scheme === "dark");
      expect(await seriousAxeViolations(page), scheme).toEqual([]);
    }
    await shots(page, "sso-sign-in");
  });
});

describe.skipIf(!available)("single sign-on only (PARLEY_PASSWORD_LOGIN=off)", () => {
  const suite = useSsoSuite({ PARLEY_PASSWORD_LOGIN: "off" });

  it("shows only the button, which signs in; no password field; no serious axe findings", async () => {
    const account = suite.op.addAccount(newAccount("only"));
    suite.op.signInAs(account.sub);
    const { page } = await suite.open();
    await visit(page, "/sign-in");
    const button = page.getByRole("button", { name: "Sign in with Acme SSO" });
    await button.waitFor();
    expect(await page.getByLabel("Password").count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shots(page, "sso-only-sign-in");
    await button.click();
    await page.waitForURL((url) => url.pathname.startsWith("/r/"), { timeout: 15_000 });
    await expectConnected(page);
  });
});
