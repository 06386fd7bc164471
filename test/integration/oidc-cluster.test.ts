import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../helpers/clients";
import { SERVE_ENV } from "../helpers/integration-extra";
import {
  CookieJar,
  newAccount,
  startOidcProvider,
  startSso,
  type TestProvider,
  throughProvider,
} from "../helpers/oidc-provider";
import { freePort, type RunningServer, startServer } from "../helpers/server";
import {
  postgresAvailable,
  redisAvailable,
  TEST_REDIS_URL,
  testDatabase,
} from "../helpers/services";

const ready = (await postgresAvailable()) && (await redisAvailable());

// Two instances behind one public URL: the sign-in starts on one, the
// provider's redirect reaches the other (a load balancer's choice).
describe.runIf(ready)("single sign-on across instances (PostgreSQL)", () => {
  const testDb = testDatabase("oidc");
  let op: TestProvider;
  let one: RunningServer;
  let two: RunningServer;

  beforeAll(async () => {
    await testDb.create();
    const [portOne, portTwo] = [await freePort(), await freePort()];
    const publicUrl = `http://127.0.0.1:${portOne}`;
    op = await startOidcProvider({ redirectUris: [`${publicUrl}/api/auth/callback/oidc`] });
    const env = {
      ...SERVE_ENV,
      DATABASE_URL: testDb.url,
      REDIS_URL: TEST_REDIS_URL,
      PARLEY_PUBLIC_URL: publicUrl,
      PARLEY_OIDC_ISSUER: op.issuer,
      PARLEY_OIDC_CLIENT_ID: op.clientId,
      PARLEY_OIDC_CLIENT_SECRET: op.clientSecret,
    };
    [one, two] = await Promise.all([
      startServer({ port: portOne, env }),
      startServer({ port: portTwo, env }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await op?.stop();
    await testDb.drop();
  });

  it("completes on the other instance: the state is in the shared database", async () => {
    const account = op.addAccount(newAccount("cluster"));
    op.signInAs(account.sub);
    const jar = new CookieJar();
    const callback = await throughProvider(await startSso(one.url, jar), jar);
    expect(callback.startsWith(`${one.url}/api/auth/callback/oidc?`)).toBe(true);

    // The same browser (one host name, so the same cookies) on instance two.
    const onTwo = callback.replace(one.url, two.url);
    const response = await fetch(onTwo, {
      redirect: "manual",
      headers: { cookie: jar.header(one.url) },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    const session = response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .find((c) => c.startsWith("better-auth.session_token="));
    expect(session).toBeTruthy();

    // The session works on both instances: a socket on the public address,
    // the session answer on instance two.
    const socket = await connect(one.url, session ?? "");
    const ready = await socket.next((f) => f.type === "ready");
    expect(ready.user).toMatchObject({ name: account.name });
    socket.close();
    const onTwoSession = await fetch(`${two.url}/api/auth/get-session`, {
      headers: { cookie: session ?? "" },
    });
    const body = (await onTwoSession.json()) as { user?: { email?: string } } | null;
    expect(body?.user?.email).toBe(account.email);
  });
});
