import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../src/server/log.server";
import { createMailer } from "../../src/server/mail/mailer.server";

function recordingLog() {
  const lines: { level: string; msg: string; fields?: object }[] = [];
  const at = (level: string) => (msg: string, fields?: object) =>
    lines.push({ level, msg, ...(fields && { fields }) });
  const log: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
  return { log, lines };
}

const mail = { to: "a@example.test", subject: "s", text: "t", html: "<p>t</p>" };

describe("mailer failures are logged, never thrown at start", () => {
  it("a bad SMTP URL: logged once at creation, each send rejects with the reason", async () => {
    const { log, lines } = recordingLog();
    const mailer = createMailer(
      { smtpUrl: "smtp://", mailFrom: undefined, publicUrl: undefined },
      log,
    );
    expect(lines).toMatchObject([{ level: "error", msg: "mail disabled" }]);
    await expect(mailer.send(mail)).rejects.toThrow(/bad SMTP_URL/);
    mailer.close();
  });

  it("an unreachable server: the send rejects and the reason is logged without the password", async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const { log, lines } = recordingLog();
    const mailer = createMailer(
      { smtpUrl: `smtp://me:hunter2@127.0.0.1:${port}`, mailFrom: undefined, publicUrl: undefined },
      log,
    );
    await expect(mailer.send(mail)).rejects.toThrow();
    const logged = lines.find((line) => line.msg === "mail not sent");
    expect(logged?.level).toBe("warn");
    expect(JSON.stringify(logged)).not.toContain("hunter2");
    expect(mailer.where).toBe(`smtp://me:***@127.0.0.1:${port}`);
    mailer.close();
  });
});
