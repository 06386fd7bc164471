import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/env";
import { isOriginAllowed } from "../../src/server/ws/origin";

describe("parseConfig", () => {
  it("has working defaults", () => {
    expect(parseConfig({})).toEqual({
      port: 3000,
      host: undefined,
      database: { kind: "sqlite", path: "./data/parley.db" },
      redisUrl: undefined,
      dataDir: "./data",
      authSecret: undefined,
      allowedOrigins: [],
      publicUrl: undefined,
      authAttemptsPerMinute: 10,
      authLockMs: 30_000,
      limits: { ratePerSecond: 10, rateBurst: 20, socketsPerUser: 20, socketsPerIp: 100 },
      presenceTtlMs: 15_000,
      trustProxy: false,
      trustedProxyHops: 1,
      metricsToken: undefined,
      headersTimeoutMs: 10_000,
      sessionSweepMs: 30_000,
      logLevel: "info",
    });
  });

  it("reads the new limits, refusing nonsense", () => {
    expect(
      parseConfig({
        PARLEY_AUTH_LOCK_SECONDS: "5",
        PARLEY_TRUSTED_PROXY_HOPS: "2",
        PARLEY_SESSION_SWEEP_SECONDS: "1",
      }),
    ).toMatchObject({ authLockMs: 5_000, trustedProxyHops: 2, sessionSweepMs: 1_000 });
    for (const name of [
      "PARLEY_AUTH_LOCK_SECONDS",
      "PARLEY_TRUSTED_PROXY_HOPS",
      "PARLEY_SESSION_SWEEP_SECONDS",
    ]) {
      expect(() => parseConfig({ [name]: "0" })).toThrow(name);
      expect(() => parseConfig({ [name]: "soon" })).toThrow(name);
    }
  });

  it("reads every variable", () => {
    const config = parseConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      DATABASE_URL: "file:///var/lib/parley/chat.db",
      PARLEY_DATA_DIR: "/var/lib/parley",
      BETTER_AUTH_SECRET: "s".repeat(32),
      PARLEY_ALLOWED_ORIGINS: "https://a.example, http://b.example:8080",
      LOG_LEVEL: "debug",
      REDIS_URL: "redis://cache.internal:6379/2",
    });
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      database: { kind: "sqlite", path: "/var/lib/parley/chat.db" },
      redisUrl: "redis://cache.internal:6379/2",
      allowedOrigins: ["https://a.example", "http://b.example:8080"],
      logLevel: "debug",
    });
  });

  it("allows the public URL's origin", () => {
    const config = parseConfig({ PARLEY_PUBLIC_URL: "https://chat.example" });
    expect(config.publicUrl).toBe("https://chat.example");
    expect(config.allowedOrigins).toEqual(["https://chat.example"]);
  });

  it("puts the default database in the data folder", () => {
    expect(parseConfig({ PARLEY_DATA_DIR: "/srv/p/" }).database).toEqual({
      kind: "sqlite",
      path: "/srv/p/parley.db",
    });
  });

  it.each([
    "postgres://parley:secret@db.internal:5432/parley",
    "postgresql://localhost/parley?sslmode=require",
    "PostgreSQL://localhost/parley",
  ])("takes a PostgreSQL URL (%s)", (url) => {
    expect(parseConfig({ DATABASE_URL: url }).database).toEqual({ kind: "postgres", url });
  });

  it.each(["redis://127.0.0.1:6379", "rediss://user:pw@cache.example:6380/0"])(
    "takes a Redis URL (%s)",
    (url) => {
      expect(parseConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    },
  );

  it("names the accepted database schemes when refusing another", () => {
    expect(() => parseConfig({ DATABASE_URL: "mysql://localhost/parley" })).toThrow(
      /DATABASE_URL: .*SQLite file path.*PostgreSQL URL/,
    );
  });

  it.each([
    ["PORT", "http"],
    ["PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["BETTER_AUTH_SECRET", "short"],
    ["PARLEY_ALLOWED_ORIGINS", "https://a.example/path"],
    ["PARLEY_ALLOWED_ORIGINS", "not an origin"],
    ["DATABASE_URL", "mysql://localhost/db"],
    ["DATABASE_URL", "postgres://[bad"],
    ["REDIS_URL", "127.0.0.1:6379"],
    ["REDIS_URL", "http://cache:6379"],
    ["REDIS_URL", ""],
    ["PARLEY_PUBLIC_URL", "chat.example.com"],
    ["PARLEY_AUTH_ATTEMPTS_PER_MINUTE", "0"],
    ["PARLEY_AUTH_ATTEMPTS_PER_MINUTE", "many"],
    ["PARLEY_RATE_PER_SECOND", "0"],
    ["PARLEY_MAX_SOCKETS_PER_IP", "-1"],
    ["PARLEY_TRUST_PROXY", "yes"],
    ["PARLEY_PRESENCE_TTL_SECONDS", "2"],
    ["PARLEY_PRESENCE_TTL_SECONDS", "soon"],
    ["PARLEY_METRICS_TOKEN", "short"],
  ])("a bad %s (%s) names the variable", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });
});

describe("isOriginAllowed", () => {
  it("allows the app's own host and configured extras", () => {
    expect(isOriginAllowed("http://localhost:3000", "localhost:3000", [])).toBe(true);
    expect(isOriginAllowed("https://chat.example", "internal:3000", ["https://chat.example"])).toBe(
      true,
    );
  });

  it("refuses a foreign or malformed origin", () => {
    expect(isOriginAllowed("https://evil.example", "localhost:3000", [])).toBe(false);
    expect(isOriginAllowed("http://localhost:3001", "localhost:3000", [])).toBe(false);
    expect(isOriginAllowed("null", "localhost:3000", [])).toBe(false);
  });

  it("lets non-browser clients without Origin through (they carry no ambient cookie)", () => {
    expect(isOriginAllowed(null, "localhost:3000", [])).toBe(true);
  });
});
