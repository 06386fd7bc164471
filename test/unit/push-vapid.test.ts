import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import webpush from "web-push";
import { parseConfig } from "../../src/env";
import { createLogger } from "../../src/server/log.server";
import { resolveVapidKeys, vapidSubject } from "../../src/server/push/vapid.server";

const log = createLogger("silent");
const dataDir = () => join(mkdtempSync(join(tmpdir(), "parley-vapid-")), "data");
const configFor = (dir: string, env: Record<string, string> = {}) =>
  parseConfig({ PARLEY_DATA_DIR: dir, ...env });

describe("VAPID keys", () => {
  it("generates a pair into the data folder on first run (0600) and reads the same back later", () => {
    const dir = dataDir();
    const first = resolveVapidKeys(configFor(dir), log);
    const file = join(dir, "vapid.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(first);
    expect(Buffer.from(first.publicKey, "base64url")).toHaveLength(65);
    expect(resolveVapidKeys(configFor(dir), log)).toEqual(first);
  });

  it("a damaged vapid.json is a clear error, never silently replaced", () => {
    const dir = dataDir();
    resolveVapidKeys(configFor(dir), log);
    const file = join(dir, "vapid.json");
    for (const damaged of ["{not json", JSON.stringify({ publicKey: "abc", privateKey: "def" })]) {
      writeFileSync(file, damaged);
      expect(() => resolveVapidKeys(configFor(dir), log)).toThrow(
        /vapid\.json is not a valid VAPID key pair/,
      );
      expect(readFileSync(file, "utf8")).toBe(damaged);
    }
    // Two valid keys that are not one pair.
    const [a, b] = [webpush.generateVAPIDKeys(), webpush.generateVAPIDKeys()];
    writeFileSync(file, JSON.stringify({ publicKey: a.publicKey, privateKey: b.privateKey }));
    expect(() => resolveVapidKeys(configFor(dir), log)).toThrow(/not a valid VAPID key pair/);
  });

  it("uses the configured pair (writing nothing) and refuses one that is not a pair", () => {
    const dir = dataDir();
    const keys = webpush.generateVAPIDKeys();
    const env = {
      PARLEY_VAPID_PUBLIC_KEY: keys.publicKey,
      PARLEY_VAPID_PRIVATE_KEY: keys.privateKey,
    };
    expect(resolveVapidKeys(configFor(dir, env), log)).toEqual(keys);
    expect(() => statSync(join(dir, "vapid.json"))).toThrow();
    const other = webpush.generateVAPIDKeys();
    const mixed = { ...env, PARLEY_VAPID_PRIVATE_KEY: other.privateKey };
    expect(() => resolveVapidKeys(configFor(dir, mixed), log)).toThrow(
      /PARLEY_VAPID_PUBLIC_KEY and PARLEY_VAPID_PRIVATE_KEY/,
    );
  });
});

describe("VAPID subject", () => {
  const subject = (env: Record<string, string>) => vapidSubject(configFor(dataDir(), env));
  it("takes the variable, else the mail From's address, else an https public URL, else admin@localhost", () => {
    expect(
      subject({ PARLEY_VAPID_SUBJECT: "mailto:ops@example.com", PARLEY_MAIL_FROM: "a@b.c" }),
    ).toBe("mailto:ops@example.com");
    expect(subject({ PARLEY_MAIL_FROM: "Parley <chat@example.com>" })).toBe(
      "mailto:chat@example.com",
    );
    expect(subject({ PARLEY_MAIL_FROM: "chat@example.com" })).toBe("mailto:chat@example.com");
    expect(subject({ PARLEY_PUBLIC_URL: "https://chat.example.com" })).toBe(
      "https://chat.example.com",
    );
    // Push services take only https: and mailto: subjects.
    expect(subject({ PARLEY_PUBLIC_URL: "http://chat.example.com" })).toBe(
      "mailto:admin@localhost",
    );
    expect(subject({ PARLEY_MAIL_FROM: "Parley team" })).toBe("mailto:admin@localhost");
    expect(subject({})).toBe("mailto:admin@localhost");
  });
});
