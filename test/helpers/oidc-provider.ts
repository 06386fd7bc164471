import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID Provider (oidc-provider 9) on loopback, started by the
 * tests themselves: one confidential client (code flow, PKCE required,
 * client_secret_post as better-auth sends it), an in-memory account store,
 * and an interaction route with no login form: it signs in the account the
 * test chose (`signInAs`) and grants the requested scopes at once.
 */

export type TestAccount = {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  preferred_username?: string;
};

export type TestProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds (or replaces) an account the provider can sign in. */
  addAccount: (account: TestAccount) => TestAccount;
  /** The account the next interactions sign in (until changed). */
  signInAs: (sub: string) => void;
  /** The next interactions refuse with this OAuth error (e.g. access_denied) instead; null: sign in again. */
  refuseWith: (error: string | null) => void;
  /**
   * While on, each authorization request reaches the provider with another
   * nonce than the one the client sent, so the ID token it signs carries
   * the wrong nonce: a stand-in for a token injected from another flow.
   */
  tamperNonce: (on: boolean) => void;
  /** The nonce and PKCE parameters of the authorization requests seen (as sent by the client). */
  authorizationRequests: URLSearchParams[];
  stop: () => Promise<void>;
};

export async function startOidcProvider(options: {
  /** The client's registered redirect URI(s): `<parley>/api/auth/callback/oidc`. */
  redirectUris: string[];
}): Promise<TestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = `parley-${randomUUID().slice(0, 8)}`;
  const clientSecret = `secret-${randomUUID()}`;

  const accounts = new Map<string, TestAccount>();
  let current: string | undefined;
  let refusal: string | null = null;
  let tamper = false;
  const authorizationRequests: URLSearchParams[] = [];

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test", use: "sig" }] },
    cookies: { keys: [randomUUID()] },
    pkce: { required: () => true },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
    },
    features: { devInteractions: { enabled: false } },
    // Short lives of its own (the defaults' functions print a notice each).
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Grant: 600,
      Session: 600,
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ ...account }) };
    },
  });
  // The provider's own log of refused requests stays out of the test output.
  provider.on("server_error", (_ctx: unknown, error: unknown) => {
    console.error("test OpenID Provider error:", error);
  });
  const handle = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (refusal) {
      await provider.interactionFinished(
        req,
        res,
        { error: refusal, error_description: "The test provider refused." },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (!current || !accounts.has(current)) {
      res.writeHead(400, { "content-type": "text/plain" }).end("no test account chosen");
      return;
    }
    const grant = new provider.Grant({ accountId: current, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: current }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", issuer);
    if (req.method === "GET" && /^\/interaction\/[^/]+$/.test(url.pathname)) {
      interaction(req, res).catch((error) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
      return;
    }
    if (url.pathname === "/auth") {
      authorizationRequests.push(new URLSearchParams(url.searchParams));
      if (tamper && url.searchParams.has("nonce")) {
        url.searchParams.set("nonce", `tampered-${randomUUID()}`);
        req.url = `${url.pathname}${url.search}`;
      }
    }
    handle(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    addAccount(account) {
      accounts.set(account.sub, account);
      return account;
    },
    signInAs(sub) {
      current = sub;
    },
    refuseWith(error) {
      refusal = error;
    },
    tamperNonce(on) {
      tamper = on;
    },
    authorizationRequests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh account with a unique subject, email and username. */
export function newAccount(prefix: string, overrides: Partial<TestAccount> = {}): TestAccount {
  const tag = randomUUID().slice(0, 8);
  return {
    sub: `${prefix}-${tag}`,
    email: `${prefix}-${tag}@idp.example.test`,
    email_verified: true,
    name: `${prefix} ${tag}`,
    preferred_username: `${prefix}.${tag}`,
    ...overrides,
  };
}

/** Cookies per origin (host and port), as a browser would keep them for these loopback servers. */
export class CookieJar {
  readonly #byOrigin = new Map<string, Map<string, string>>();

  header(url: string): string {
    const cookies = this.#byOrigin.get(new URL(url).origin) ?? new Map();
    return [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  get(url: string, name: string): string | undefined {
    return this.#byOrigin.get(new URL(url).origin)?.get(name);
  }

  store(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const cookies = this.#byOrigin.get(origin) ?? new Map<string, string>();
    this.#byOrigin.set(origin, cookies);
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) cookies.delete(name);
      else cookies.set(name, value);
    }
  }
}

/** One GET with the jar's cookies, redirects not followed; the jar keeps what it sets. */
export async function getWithJar(url: string, jar: CookieJar): Promise<Response> {
  const cookie = jar.header(url);
  const response = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
  jar.store(url, response);
  return response;
}

/** POST /api/auth/sign-in/social for the OIDC provider; the provider's authorization URL. */
export async function startSso(
  parleyUrl: string,
  jar: CookieJar,
  body: Record<string, unknown> = {},
): Promise<string> {
  const url = `${parleyUrl}/api/auth/sign-in/social`;
  const cookie = jar.header(url);
  const response = await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/json",
      origin: parleyUrl,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify({
      provider: "oidc",
      callbackURL: "/",
      errorCallbackURL: "/sign-in",
      ...body,
    }),
  });
  jar.store(url, response);
  const answer = (await response.json()) as { url?: string };
  if (!response.ok || !answer.url) {
    throw new Error(`sign-in/social answered ${response.status}: ${JSON.stringify(answer)}`);
  }
  return answer.url;
}

/**
 * Follows redirects by hand from `url` (at most 10) until one leads to
 * a URL `stop` accepts, or an answer is not a redirect; returns that URL
 * (not fetched when `stop` accepted it) and the last answer.
 */
export async function followRedirects(
  url: string,
  jar: CookieJar,
  stop: (next: URL) => boolean,
): Promise<{ url: string; response: Response }> {
  let at = url;
  for (let hop = 0; hop < 10; hop++) {
    const response = await getWithJar(at, jar);
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) return { url: at, response };
    const next = new URL(location, at);
    if (stop(next)) return { url: next.href, response };
    at = next.href;
  }
  throw new Error(`more than 10 redirects from ${url}`);
}

/** From the provider's authorization URL to the callback URL it sends the browser to (not yet opened). */
export async function throughProvider(authorizeUrl: string, jar: CookieJar): Promise<string> {
  const { url, response } = await followRedirects(authorizeUrl, jar, (next) =>
    next.pathname.startsWith("/api/auth/callback/"),
  );
  if (!new URL(url).pathname.startsWith("/api/auth/callback/")) {
    throw new Error(`the provider stopped at ${url}: ${response.status} ${await response.text()}`);
  }
  return url;
}

/** Opens the callback; where Parley sends the browser next (absolute URL) and the answer. */
export async function openCallback(
  callbackUrl: string,
  jar: CookieJar,
): Promise<{ location: URL; response: Response }> {
  const response = await getWithJar(callbackUrl, jar);
  const location = response.headers.get("location");
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`the callback answered ${response.status}: ${await response.text()}`);
  }
  return { location: new URL(location, callbackUrl), response };
}
