import { describe, expect, it } from "vitest";
import {
  checkWebhookInput,
  messageEvents,
  nextAttempt,
  RETRY_CAP_MS,
  RETRY_WINDOW_MS,
  replyText,
} from "../../src/core/outgoing-webhooks";

describe("nextAttempt: the backoff schedule", () => {
  const base = 10_000;
  it("doubles from the base for each failure, capped at an hour", () => {
    const created = 0;
    expect(nextAttempt(created, 1, 0, base)).toBe(10_000);
    expect(nextAttempt(created, 2, 0, base)).toBe(20_000);
    expect(nextAttempt(created, 3, 0, base)).toBe(40_000);
    expect(nextAttempt(created, 10, 0, base)).toBe(RETRY_CAP_MS);
    expect(nextAttempt(created, 1000, 0, base)).toBe(RETRY_CAP_MS);
  });

  it("gives up once the next try would fall past 24 hours after the event", () => {
    // A fake clock: run the schedule as the worker would, failure after failure.
    const created = 1_000_000;
    let clock = created;
    let attempts = 0;
    const tries: number[] = [];
    for (;;) {
      attempts++;
      tries.push(clock);
      const next = nextAttempt(created, attempts, clock, base);
      if (next === "give_up") break;
      expect(next).toBeGreaterThan(clock);
      clock = next;
    }
    expect(clock - created).toBeLessThanOrEqual(RETRY_WINDOW_MS);
    expect(clock + RETRY_CAP_MS - created).toBeGreaterThan(RETRY_WINDOW_MS);
    // 10 s doubling reaches the cap after 9 failures; then hourly to 24 h.
    expect(attempts).toBeGreaterThan(20);
    expect(attempts).toBeLessThan(40);
  });
});

describe("checkWebhookInput", () => {
  const good = { name: " CI ", targetUrl: "https://ci.example.com/hook", events: ["mention"] };
  it("accepts a name, an http(s) URL and known events (in a fixed order)", () => {
    expect(checkWebhookInput({ ...good, events: ["member_joined", "message_created"] })).toEqual({
      ok: true,
      value: {
        name: "CI",
        targetUrl: "https://ci.example.com/hook",
        events: ["message_created", "member_joined"],
      },
    });
  });
  it.each([
    [{ name: "" }, "Enter a webhook name."],
    [{ name: "x".repeat(81) }, "Webhook names are at most 80 characters."],
    [{ targetUrl: "nope" }, "Enter a target URL such as https://example.com/hook."],
    [{ targetUrl: "file:///etc/passwd" }, "The target URL must start with http:// or https://."],
    [
      { targetUrl: "https://a:b@example.com/" },
      "The target URL may not hold a user name or password.",
    ],
    [
      { targetUrl: `https://e.com/${"x".repeat(2048)}` },
      "Target URLs are at most 2048 characters.",
    ],
    [{ events: [] }, "Choose at least one event."],
    [{ events: "mention" }, "Choose at least one event."],
    [{ events: ["mention", "typing"] }, "Unknown event."],
  ])("refuses %j", (change, error) => {
    expect(checkWebhookInput({ ...good, ...change })).toEqual({ ok: false, error });
  });
});

describe("messageEvents and replyText", () => {
  it("a message with mentions is also a mention event", () => {
    expect(messageEvents([])).toEqual(["message_created"]);
    expect(messageEvents(["u1"])).toEqual(["message_created", "mention"]);
  });
  it("reads {text} only when it is non-empty text", () => {
    expect(replyText('{"text":"hi"}')).toBe("hi");
    expect(replyText('{"text":"  "}')).toBeUndefined();
    expect(replyText('{"text":3}')).toBeUndefined();
    expect(replyText("ok")).toBeUndefined();
    expect(replyText("")).toBeUndefined();
    expect(replyText("null")).toBeUndefined();
  });
});

describe("README's receiver example", () => {
  it("verifies what Parley signs, and refuses a changed body or an old timestamp", async () => {
    const { readFileSync, writeFileSync, mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { signedHeaders } = await import("../../src/server/webhooks/signature.server");
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("### Outgoing webhooks"));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    if (!code) throw new Error("no js example under ### Outgoing webhooks");
    const file = join(mkdtempSync(join(tmpdir(), "parley-readme-")), "verify.mjs");
    writeFileSync(file, `${code}\nexport { verified };\n`);
    const { verified } = (await import(file)) as {
      verified: (secret: string, ts: string, sig: string, body: string) => boolean;
    };
    const body = JSON.stringify({ event: "message_created" });
    const headers = signedHeaders("whsec_test", body);
    const ts = headers["x-parley-timestamp"] ?? "";
    const sig = headers["x-parley-signature"] ?? "";
    expect(verified("whsec_test", ts, sig, body)).toBe(true);
    expect(verified("whsec_test", ts, sig, `${body} `)).toBe(false);
    expect(verified("whsec_other", ts, sig, body)).toBe(false);
    const old = signedHeaders("whsec_test", body, Date.now() - 3_600_000);
    const oldTs = old["x-parley-timestamp"] ?? "";
    expect(verified("whsec_test", oldTs, old["x-parley-signature"] ?? "", body)).toBe(false);
  });
});
