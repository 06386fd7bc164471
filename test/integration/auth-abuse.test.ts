import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../helpers/clients";
import { httpFrom, waitFor } from "../helpers/http-from";
import { type RunningServer, startServer } from "../helpers/server";

const PASSWORD = "correct horse battery";

const signIn = (
  server: RunningServer,
  email: string,
  password: string,
  from: string,
  headers: Record<string, string> = {},
) =>
  httpFrom(server.url, "/api/auth/sign-in/email", {
    body: { email, password },
    localAddress: from,
    headers,
  });

// F-3, F-7: the sign-in limit is keyed by the real client address.
describe("sign-in attempts per client address", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PARLEY_AUTH_ATTEMPTS_PER_MINUTE: "3" } });
  });
  afterAll(() => server?.stop());

  it("answers 429 to 40 wrong passwords even when each names another X-Forwarded-For", async () => {
    const { email } = await signUp(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const answer = await signIn(server, email, `wrong-${i}-password`, "127.0.3.1", {
        "x-forwarded-for": `10.0.${i}.1`,
      });
      statuses.push(answer.status);
    }
    console.log("statuses of 40 rotated-header guesses:", statuses.join(" "));
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    // The owner, from another address, is not locked out by the flood.
    expect((await signIn(server, email, PASSWORD, "127.0.3.2")).status).toBe(200);
  });

  it("lets a bystander from another address sign in while one address floods", async () => {
    const { email } = await signUp(server.url);
    const flood: number[] = [];
    for (let i = 0; i < 10; i++) {
      // A different (unknown) email each time: only the address limit applies.
      const answer = await signIn(server, `nobody-${randomUUID()}@example.test`, "x", "127.0.4.1");
      flood.push(answer.status);
    }
    expect(flood).toContain(429);
    const refused = await signIn(server, "someone@example.test", "whatever-pw", "127.0.4.1");
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBeDefined();
    expect(JSON.stringify(refused.json())).toMatch(/too many/i);
    const bystander = await signIn(server, email, PASSWORD, "127.0.4.2");
    expect(bystander.status).toBe(200);
    expect(bystander.cookie).toBeDefined();
  });

  it("throttles sign-ups per address too, whatever X-Forwarded-For says", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await httpFrom(server.url, "/api/auth/sign-up/email", {
        body: { name: `Spam ${i}`, email: `spam-${randomUUID()}@example.test`, password: PASSWORD },
        localAddress: "127.0.5.1",
        headers: { "x-forwarded-for": `10.1.${i}.1` },
      });
      statuses.push(answer.status);
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });
});

// F-3: a per-account failure limit with growing delays.
describe("sign-in failures per account", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ env: { PARLEY_AUTH_LOCK_SECONDS: "1" } });
  });
  afterAll(() => server?.stop());

  const lockLifts = async (email: string, from: string) => {
    const started = Date.now();
    // Polled with the right password: refused (429) while locked, never counted.
    await waitFor(
      "the lock to lift",
      async () => {
        const answer = await httpFrom(server.url, "/api/auth/sign-in/email", {
          body: { email, password: PASSWORD },
          localAddress: from,
        });
        return answer.status === 429 ? undefined : answer;
      },
      15_000,
    );
    return Date.now() - started;
  };

  it("locks an account after 5 wrong passwords from any addresses, for a doubling time", async () => {
    const { email } = await signUp(server.url);
    for (let i = 0; i < 5; i++) {
      expect((await signIn(server, email, `wrong-${i}-password`, `127.0.6.${i + 1}`)).status).toBe(
        401,
      );
    }
    // Locked: even the right password, from a fresh address, waits.
    const locked = await signIn(server, email, PASSWORD, "127.0.6.50");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBe(1);
    expect(locked.json().code).toBe("ACCOUNT_LOCKED");
    expect(String(locked.json().message)).toMatch(/too many failed sign-ins/i);

    // The lock lifts; the right password then signs in (which resets the count).
    const firstWait = await lockLifts(email, "127.0.6.51");
    console.log(`first lock lifted after ${firstWait} ms`);

    // Five more failures lock it again; each further one doubles the wait.
    for (let i = 0; i < 5; i++) {
      expect((await signIn(server, email, `again-${i}-password`, "127.0.6.60")).status).toBe(401);
    }
    expect(
      Number((await signIn(server, email, PASSWORD, "127.0.6.61")).headers["retry-after"]),
    ).toBe(1);
    await waitFor(
      "the second lock to lift",
      async () => {
        const probe = await signIn(server, email, "sixth-wrong-password", "127.0.6.62");
        return probe.status === 401 ? probe : undefined;
      },
      15_000,
    );
    const doubled = await signIn(server, email, PASSWORD, "127.0.6.63");
    expect(doubled.status).toBe(429);
    expect(Number(doubled.headers["retry-after"])).toBe(2);
    const secondWait = await lockLifts(email, "127.0.6.64");
    console.log(`doubled lock lifted after ${secondWait} ms`);
    // Signed in: the count starts over, one wrong password is just a 401.
    expect((await signIn(server, email, "one-more-wrong", "127.0.6.65")).status).toBe(401);
    expect((await signIn(server, email, PASSWORD, "127.0.6.66")).status).toBe(200);
  });

  it("locks unknown emails the same way, so a lock says nothing about an account", async () => {
    const email = `ghost-${randomUUID()}@example.test`;
    for (let i = 0; i < 5; i++) {
      expect((await signIn(server, email, `wrong-${i}-password`, "127.0.7.1")).status).toBe(401);
    }
    expect((await signIn(server, email, PASSWORD, "127.0.7.2")).status).toBe(429);
  });

  it("keys the lock by the email as better-auth does (case ignored)", async () => {
    const { email } = await signUp(server.url);
    for (let i = 0; i < 5; i++) {
      const variant = i % 2 ? email.toUpperCase() : email.replace(/^./, (c) => c.toUpperCase());
      expect((await signIn(server, variant, `wrong-${i}-password`, "127.0.8.1")).status).toBe(401);
    }
    expect((await signIn(server, email, PASSWORD, "127.0.8.2")).status).toBe(429);
  });
});

// F-15: sign-up does not confirm that an email is registered.
describe("sign-up with a registered email", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("answers like any other refused sign-up, without saying the email exists", async () => {
    const { email } = await signUp(server.url);
    const taken = await httpFrom(server.url, "/api/auth/sign-up/email", {
      body: { name: "Second", email, password: PASSWORD },
    });
    const badEmail = await httpFrom(server.url, "/api/auth/sign-up/email", {
      body: { name: "Second", email: "not-an-email", password: PASSWORD },
    });
    console.log("taken:", taken.status, taken.text, "| bad email:", badEmail.status, badEmail.text);
    expect(taken.status).toBe(badEmail.status);
    expect(taken.text).not.toMatch(/exist|taken|registered|USER_ALREADY/i);
    expect(taken.json().code).toBe("SIGN_UP_REFUSED");
  });
});
