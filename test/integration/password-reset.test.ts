import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp } from "../helpers/clients";
import { authPost, openDb, startServeLike } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";

// Issue 14: password reset and email verification through better-auth's
// flows, mail caught by a real SMTP server on loopback.

let sink: SmtpSink;
let server: RunningServer;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startServeLike({ env: { SMTP_URL: sink.url } });
});
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

/** Asks for a reset link and answers the token from the mail that arrives. */
async function resetToken(email: string): Promise<string> {
  const before = sink.to(email).length;
  const asked = await authPost(server.url, "/request-password-reset", {
    email,
    redirectTo: "/reset-password",
  });
  expect(asked.status).toBe(200);
  const mails = await sink.waitFor(email, before + 1);
  const text = mails[before]?.parsed.text ?? "";
  const link = /https?:\/\/\S+\/api\/auth\/reset-password\/\S+/.exec(text)?.[0];
  if (!link) throw new Error(`no reset link in: ${text}`);
  // The link checks the token and sends the browser to the page with it.
  const followed = await fetch(link, { redirect: "manual" });
  expect(followed.status).toBe(302);
  const target = new URL(followed.headers.get("location") ?? "", server.url);
  expect(target.pathname).toBe("/reset-password");
  const token = target.searchParams.get("token");
  if (!token) throw new Error(`no token in ${target}`);
  return token;
}

async function signIn(email: string, password: string) {
  return authPost(server.url, "/sign-in/email", { email, password });
}

async function sessionOf(cookie: string) {
  const response = await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie } });
  return response.json();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

describe("password reset", () => {
  it("sets a new password once, revokes every session and closes an open socket", async () => {
    const user = await signUp(server.url);
    const other = await signIn(user.email, "correct horse battery");
    expect(other.status).toBe(200);
    const socket = await connect(server.url, user.cookie);
    const token = await resetToken(user.email);

    const reset = await authPost(server.url, "/reset-password", {
      newPassword: "a brand new secret",
      token,
    });
    expect(reset.status).toBe(200);
    // 4001: the session ended (as a sign-out closes its sockets).
    expect((await socket.closed).code).toBe(4001);
    expect(await sessionOf(user.cookie)).toBeNull();
    expect((await signIn(user.email, "correct horse battery")).status).toBe(401);
    expect((await signIn(user.email, "a brand new secret")).status).toBe(200);

    // Single use: the same link again is refused.
    const again = await authPost(server.url, "/reset-password", {
      newPassword: "yet another secret",
      token,
    });
    expect(again.status).toBe(400);
    expect(again.json.code).toBe("INVALID_TOKEN");
  });

  it("a link expires after an hour", async () => {
    const user = await signUp(server.url);
    const token = await resetToken(user.email);
    const db = openDb(server.dataDir);
    try {
      const row = db
        .prepare(`SELECT "expiresAt" AS at FROM verification WHERE identifier = ?`)
        .get(`reset-password:${token}`) as { at: string | number };
      const expiresAt = typeof row.at === "number" ? row.at : Date.parse(row.at);
      // One hour from the request (give or take the test's own seconds).
      expect(Math.abs(expiresAt - Date.now() - 3_600_000)).toBeLessThan(60_000);
      const past =
        typeof row.at === "number" ? Date.now() - 1000 : new Date(Date.now() - 1000).toISOString();
      db.prepare(`UPDATE verification SET "expiresAt" = ? WHERE identifier = ?`).run(
        past,
        `reset-password:${token}`,
      );
    } finally {
      db.close();
    }
    const late = await authPost(server.url, "/reset-password", {
      newPassword: "too late for this",
      token,
    });
    expect(late.status).toBe(400);
    expect(late.json.code).toBe("INVALID_TOKEN");
    const page = await fetch(
      `${server.url}/api/auth/reset-password/${token}?callbackURL=/reset-password`,
      {
        redirect: "manual",
      },
    );
    expect(page.headers.get("location")).toContain("error=INVALID_TOKEN");
  });

  it("answers the same whether or not the email has an account (status, body, timing)", async () => {
    const user = await signUp(server.url);
    const ask = async (email: string) => {
      const started = performance.now();
      const answer = await authPost(server.url, "/request-password-reset", {
        email,
        redirectTo: "/reset-password",
      });
      return { ...answer, ms: performance.now() - started };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    let knownAnswer: { status: number; text: string } | undefined;
    let unknownAnswer: { status: number; text: string } | undefined;
    // Interleaved, so drift in the machine's load falls on both alike.
    for (let i = 0; i < 30; i += 1) {
      const a = await ask(user.email);
      const b = await ask(`nobody-${i}-${Date.now()}@example.test`);
      known.push(a.ms);
      unknown.push(b.ms);
      knownAnswer ??= a;
      unknownAnswer ??= b;
      expect(a.status).toBe(b.status);
      expect(a.text).toBe(b.text);
    }
    expect(knownAnswer?.status).toBe(200);
    expect(unknownAnswer?.text).toBe(knownAnswer?.text);
    const medians = { known: median(known), unknown: median(unknown) };
    console.log(`reset request medians (ms): ${JSON.stringify(medians)}`);
    // Loose: the mail goes out off the response path, so no SMTP round trip shows.
    expect(Math.abs(medians.known - medians.unknown)).toBeLessThan(75);
  });
});

describe("without SMTP", () => {
  let bare: RunningServer;
  beforeAll(async () => {
    bare = await startServeLike();
  });
  afterAll(async () => {
    await bare?.stop();
  });

  it("writes the reset link to the log and the page says to ask an admin", async () => {
    const user = await signUp(bare.url);
    const asked = await authPost(bare.url, "/request-password-reset", {
      email: user.email,
      redirectTo: "/reset-password",
    });
    expect(asked.status).toBe(200);
    const deadline = Date.now() + 10_000;
    while (!bare.output().includes("password reset link") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const line =
      bare
        .output()
        .split("\n")
        .find((l) => l.includes("password reset link")) ?? "";
    expect(line).toContain(user.email);
    expect(line).toMatch(/\/api\/auth\/reset-password\/[A-Za-z0-9]+/);
    const page = await (await fetch(`${bare.url}/forgot-password`)).text();
    expect(page).toContain("ask an admin");
  });
});

describe("email verification required", () => {
  let strict: RunningServer;
  beforeAll(async () => {
    strict = await startServeLike({
      env: { SMTP_URL: sink.url, PARLEY_REQUIRE_EMAIL_VERIFICATION: "true" },
    });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it("a new account cannot sign in until it opens the link from its email", async () => {
    const email = `verify-${Date.now()}@example.test`;
    const signed = await authPost(strict.url, "/sign-up/email", {
      name: "Vera",
      email,
      password: "correct horse battery",
    });
    expect(signed.status).toBe(200);
    expect(signed.json.token).toBeNull();
    const refused = await authPost(strict.url, "/sign-in/email", {
      email,
      password: "correct horse battery",
    });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe("EMAIL_NOT_VERIFIED");
    const [mail] = await sink.waitFor(email);
    const link = /https?:\/\/\S+\/api\/auth\/verify-email\?\S+/.exec(mail?.parsed.text ?? "")?.[0];
    if (!link) throw new Error("no verification link");
    const opened = await fetch(link, { redirect: "manual" });
    expect(opened.status).toBe(302);
    const admitted = await authPost(strict.url, "/sign-in/email", {
      email,
      password: "correct horse battery",
    });
    expect(admitted.status).toBe(200);
  });
});
