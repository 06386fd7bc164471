import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBot } from "../helpers/bots";
import { signUp } from "../helpers/clients";
import { authPost, openDb, startServeLike } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { type SmtpSink, startSmtpSink } from "../helpers/smtp-sink";

// Issue 15: nobody signs in as a bot, even with a password set through a
// reset link (any caller may ask for one; a catch-all relay delivers it).
describe("bots cannot sign in", () => {
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

  it("refuses the session of a bot whose password was set by a reset link", async () => {
    const owner = await signUp(server.url);
    const botId = await makeBot(server.url, owner.cookie, "Mail Bot");
    const db = openDb(server.dataDir);
    const { email } = db.prepare("select email from user where id = ?").get(botId) as {
      email: string;
    };
    db.close();
    const asked = await authPost(server.url, "/request-password-reset", {
      email,
      redirectTo: "/reset-password",
    });
    expect(asked.status).toBe(200);
    const [mail] = await sink.waitFor(email, 1);
    const link = /https?:\/\/\S+\/api\/auth\/reset-password\/\S+/.exec(mail?.parsed.text ?? "");
    const followed = await fetch(link?.[0] ?? "", { redirect: "manual" });
    const token = new URL(followed.headers.get("location") ?? "", server.url).searchParams.get(
      "token",
    );
    const reset = await authPost(server.url, "/reset-password", {
      newPassword: "a password for a bot",
      token,
    });
    expect(reset.status).toBe(200);
    const signIn = await authPost(server.url, "/sign-in/email", {
      email,
      password: "a password for a bot",
    });
    expect(signIn.status).toBe(403);
    expect(signIn.json).toMatchObject({
      code: "BOT_ACCOUNT",
      message: "Bots cannot sign in: they use access tokens.",
    });
    // A person still signs in.
    const person = await signUp(server.url);
    const ok = await authPost(server.url, "/sign-in/email", {
      email: person.email,
      password: "correct horse battery",
    });
    expect(ok.status).toBe(200);
  });
});
