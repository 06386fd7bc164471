import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp } from "../helpers/clients";
import { httpFrom } from "../helpers/http-from";
import { openDb } from "../helpers/integration-extra";
import { waitFor } from "../helpers/node-client";
import {
  CookieJar,
  newAccount,
  openCallback,
  startOidcProvider,
  startSso,
  type TestProvider,
  throughProvider,
} from "../helpers/oidc-provider";
import { freePort, type RunningServer, startServer } from "../helpers/server";

const SESSION_COOKIE = "better-auth.session_token";

/** A test provider and a Parley server configured for it (the redirect URI needs the port first). */
async function startPair(env: Record<string, string> = {}) {
  const port = await freePort();
  const op = await startOidcProvider({
    redirectUris: [`http://127.0.0.1:${port}/api/auth/callback/oidc`],
  });
  const server = await startServer({
    port,
    env: {
      PARLEY_OIDC_ISSUER: op.issuer,
      PARLEY_OIDC_CLIENT_ID: op.clientId,
      PARLEY_OIDC_CLIENT_SECRET: op.clientSecret,
      PARLEY_OIDC_NAME: "Test IdP",
      ...env,
    },
  });
  return { op, server };
}

/** The whole flow in a fresh browser (jar) as `sub`: where Parley sends it at the end, and the jar. */
async function signInThrough(op: TestProvider, server: RunningServer, sub: string) {
  op.signInAs(sub);
  const jar = new CookieJar();
  const authorize = await startSso(server.url, jar);
  const callback = await throughProvider(authorize, jar);
  const { location } = await openCallback(callback, jar);
  return { location, jar, cookie: jar.get(server.url, SESSION_COOKIE) };
}

type SessionUser = {
  id: string;
  email: string;
  name: string;
  handle: string;
  emailVerified: boolean;
};

async function sessionUser(server: RunningServer, jar: CookieJar): Promise<SessionUser | null> {
  const response = await fetch(`${server.url}/api/auth/get-session`, {
    headers: { cookie: jar.header(server.url) },
  });
  const body = (await response.json()) as { user?: SessionUser } | null;
  return body?.user ?? null;
}

function oidcAccountsOf(server: RunningServer, userId: string): number {
  const db = openDb(server.dataDir);
  try {
    const row = db
      .prepare(`select count(*) as n from account where "userId" = ? and "providerId" = 'oidc'`)
      .get(userId) as { n: number };
    return Number(row.n);
  } finally {
    db.close();
  }
}

describe("OIDC single sign-on against a real OpenID Provider", () => {
  let op: TestProvider;
  let server: RunningServer;
  beforeAll(async () => {
    ({ op, server } = await startPair());
  });
  afterAll(async () => {
    await server?.stop();
    await op?.stop();
  });

  it("signs a new person in end to end: PKCE, nonce, a session and a socket", async () => {
    const account = op.addAccount(newAccount("ada", { preferred_username: "ada.idp" }));
    op.signInAs(account.sub);
    const jar = new CookieJar();
    const authorize = new URL(await startSso(server.url, jar));
    // Discovery gave the endpoint; the request carries PKCE, a nonce, a state and the scopes.
    expect(authorize.origin).toBe(op.issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get("nonce")?.length).toBeGreaterThanOrEqual(32);
    expect(authorize.searchParams.get("state")?.length).toBeGreaterThanOrEqual(32);
    expect(authorize.searchParams.get("scope")?.split(" ").sort()).toEqual([
      "email",
      "openid",
      "profile",
    ]);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${server.url}/api/auth/callback/oidc`);

    const callback = await throughProvider(authorize.href, jar);
    expect(new URL(callback).searchParams.get("code")).toBeTruthy();
    const { location } = await openCallback(callback, jar);
    expect(location.href).toBe(`${server.url}/`);
    expect(jar.get(server.url, SESSION_COOKIE)).toBeTruthy();

    const user = await sessionUser(server, jar);
    expect(user).toMatchObject({
      email: account.email,
      name: account.name,
      handle: "ada.idp",
      emailVerified: true,
    });
    expect(oidcAccountsOf(server, user?.id ?? "")).toBe(1);

    // The browser arrives from the provider, so its first page is a
    // cross-site navigation: #general is joined all the same.
    const first = await fetch(`${server.url}/r/general`, {
      headers: { cookie: jar.header(server.url), "sec-fetch-site": "cross-site" },
    });
    expect(first.status).toBe(200);
    expect(await first.text()).not.toContain("Join room");

    const socket = await connect(server.url, jar.header(server.url));
    const ready = await socket.next((f) => f.type === "ready");
    expect(ready.user).toMatchObject({ id: user?.id });
    socket.close();

    // Signing in again with the same IdP account lands on the same Parley account.
    const again = await signInThrough(op, server, account.sub);
    expect((await sessionUser(server, again.jar))?.id).toBe(user?.id);
  });

  it("gives a taken preferred_username the first free number, and a name from the claims", async () => {
    const first = op.addAccount(newAccount("dup", { preferred_username: "same.handle" }));
    const second = op.addAccount(
      newAccount("dup", { preferred_username: "same.handle", name: undefined }),
    );
    const a = await signInThrough(op, server, first.sub);
    const b = await signInThrough(op, server, second.sub);
    expect((await sessionUser(server, a.jar))?.handle).toBe("same.handle");
    const other = await sessionUser(server, b.jar);
    expect(other?.handle).toBe("same.handle2");
    // No name claim: the preferred_username stands in.
    expect(other?.name).toBe("same.handle");
  });

  it("refuses a callback whose state was altered", async () => {
    const account = op.addAccount(newAccount("state"));
    op.signInAs(account.sub);
    const jar = new CookieJar();
    const callback = new URL(await throughProvider(await startSso(server.url, jar), jar));
    const state = callback.searchParams.get("state") ?? "";
    callback.searchParams.set("state", `${state.slice(0, -4)}AAAA`);
    const { location } = await openCallback(callback.href, jar);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("error")).toMatch(/^state_/);
    expect(jar.get(server.url, SESSION_COOKIE)).toBeUndefined();
  });

  it("refuses a callback opened in another browser than the one that started it", async () => {
    const account = op.addAccount(newAccount("csrf"));
    op.signInAs(account.sub);
    const started = new CookieJar();
    const callback = await throughProvider(await startSso(server.url, started), started);
    // The victim's browser never had the state cookie of the attacker's flow.
    const victim = new CookieJar();
    const { location } = await openCallback(callback, victim);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("error")).toMatch(/^state_/);
    expect(victim.get(server.url, SESSION_COOKIE)).toBeUndefined();
  });

  it("refuses an ID token signed with another nonce than the one sent", async () => {
    const account = op.addAccount(newAccount("nonce"));
    op.signInAs(account.sub);
    op.tamperNonce(true);
    try {
      const jar = new CookieJar();
      const callback = await throughProvider(await startSso(server.url, jar), jar);
      const { location } = await openCallback(callback, jar);
      expect(location.pathname).toBe("/sign-in");
      expect(location.searchParams.get("error")).toBe("unable_to_get_user_info");
      expect(jar.get(server.url, SESSION_COOKIE)).toBeUndefined();
      // The log line comes through the server's stdout pipe, which may trail the answer.
      await waitFor(
        () => /id_token failed verification .*nonce/.test(server.output()),
        "the nonce refusal logged",
      );
    } finally {
      op.tamperNonce(false);
    }
    // The same account signs in once the nonce is the one sent: it was the nonce that failed.
    expect((await signInThrough(op, server, account.sub)).cookie).toBeTruthy();
  });

  it("refuses a code replayed into another flow (its PKCE verifier does not match)", async () => {
    const account = op.addAccount(newAccount("replay"));
    op.signInAs(account.sub);
    const first = new CookieJar();
    const firstCallback = new URL(await throughProvider(await startSso(server.url, first), first));
    const second = new CookieJar();
    const secondCallback = new URL(
      await throughProvider(await startSso(server.url, second), second),
    );
    // Flow two's state (and browser) with flow one's code.
    secondCallback.searchParams.set("code", firstCallback.searchParams.get("code") ?? "");
    const { location } = await openCallback(secondCallback.href, second);
    expect(location.searchParams.get("error")).toBe("invalid_code");
    expect(second.get(server.url, SESSION_COOKIE)).toBeUndefined();
  });

  it("refuses a callback opened a second time, after it signed in", async () => {
    const account = op.addAccount(newAccount("twice"));
    op.signInAs(account.sub);
    const jar = new CookieJar();
    const callback = await throughProvider(await startSso(server.url, jar), jar);
    expect((await openCallback(callback, jar)).location.pathname).toBe("/");
    const again = new CookieJar();
    const { location } = await openCallback(callback, again);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("error")).toBeTruthy();
    expect(again.get(server.url, SESSION_COOKIE)).toBeUndefined();
  });

  it("links a verified IdP email to the existing Parley account with that email", async () => {
    const local = await signUp(server.url);
    const me = await httpFrom(server.url, "/api/auth/get-session", {
      headers: { cookie: local.cookie },
    });
    const localId = String((me.json().user as { id: string }).id);
    const account = op.addAccount(
      newAccount("linked", { email: local.email.toUpperCase(), email_verified: true }),
    );
    const { cookie, jar } = await signInThrough(op, server, account.sub);
    expect(cookie).toBeTruthy();
    const user = await sessionUser(server, jar);
    expect(user?.id).toBe(localId);
    // The Parley account keeps its own name; the provider proved the email.
    expect(user?.name).toBe(local.name);
    expect(user?.emailVerified).toBe(true);
    expect(oidcAccountsOf(server, localId)).toBe(1);
  });

  it("never lets an unverified IdP email take over the Parley account with that email", async () => {
    const local = await signUp(server.url);
    const account = op.addAccount(
      newAccount("unverified", { email: local.email, email_verified: false }),
    );
    const { location, cookie } = await signInThrough(op, server, account.sub);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("error")).toBe("account_not_linked");
    expect(cookie).toBeUndefined();
    const db = openDb(server.dataDir);
    try {
      const linked = db
        .prepare(
          `select count(*) as n from account a join "user" u on u.id = a."userId"
           where u.email = ? and a."providerId" = 'oidc'`,
        )
        .get(local.email.toLowerCase()) as { n: number };
      expect(Number(linked.n)).toBe(0);
    } finally {
      db.close();
    }
  });

  it("sends a refusal at the provider back to /sign-in as its OAuth error", async () => {
    const account = op.addAccount(newAccount("denied"));
    op.signInAs(account.sub);
    op.refuseWith("access_denied");
    try {
      const { location, cookie } = await signInThrough(op, server, account.sub);
      expect(location.pathname).toBe("/sign-in");
      expect(location.searchParams.get("error")).toBe("access_denied");
      expect(cookie).toBeUndefined();
    } finally {
      op.refuseWith(null);
    }
  });

  it("shows the button on /sign-in and /sign-up next to the password form", async () => {
    for (const path of ["/sign-in", "/sign-up"]) {
      const html = await (await fetch(`${server.url}${path}`)).text();
      expect(html).toContain("Sign in with Test IdP");
      expect(html).toMatch(/type="password"/);
    }
  });
});

describe("PARLEY_PASSWORD_LOGIN=off", () => {
  let op: TestProvider;
  let server: RunningServer;
  beforeAll(async () => {
    ({ op, server } = await startPair({ PARLEY_PASSWORD_LOGIN: "off" }));
  });
  afterAll(async () => {
    await server?.stop();
    await op?.stop();
  });

  it("answers 403 with a clear message to email sign-in and sign-up", async () => {
    const signUpAnswer = await httpFrom(server.url, "/api/auth/sign-up/email", {
      body: { name: "Pat", email: "pat@example.test", password: "correct horse battery" },
    });
    expect(signUpAnswer.status).toBe(403);
    expect(signUpAnswer.json()).toEqual({
      code: "PASSWORD_LOGIN_OFF",
      message:
        "Email and password sign-in is turned off on this server. Use single sign-on instead.",
    });
    expect(signUpAnswer.cookie).toBeUndefined();
    const signInAnswer = await httpFrom(server.url, "/api/auth/sign-in/email", {
      body: { email: "pat@example.test", password: "correct horse battery" },
    });
    expect(signInAnswer.status).toBe(403);
    expect(signInAnswer.json().code).toBe("PASSWORD_LOGIN_OFF");
    // Nobody was created by the refused sign-up.
    const db = openDb(server.dataDir);
    try {
      const row = db.prepare(`select count(*) as n from "user"`).get() as { n: number };
      expect(Number(row.n)).toBe(0);
    } finally {
      db.close();
    }
  });

  it("still signs people in with single sign-on, and the pages show only its button", async () => {
    const account = op.addAccount(newAccount("ssoonly"));
    const { cookie, jar } = await signInThrough(op, server, account.sub);
    expect(cookie).toBeTruthy();
    expect((await sessionUser(server, jar))?.email).toBe(account.email);
    for (const path of ["/sign-in", "/sign-up"]) {
      const html = await (await fetch(`${server.url}${path}`)).text();
      expect(html).toContain("Sign in with Test IdP");
      expect(html).not.toMatch(/type="password"/);
    }
  });
});
