import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/env";
import { isOriginAllowed, ownOrigin } from "../../src/server/ws/origin";

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
      limits: {
        ratePerSecond: 10,
        rateBurst: 20,
        socketsPerUser: 20,
        socketsPerIp: 100,
        connectsPerMinutePerUser: 30,
        connectsPerMinutePerIp: 300,
        pendingConnects: 100,
        shedLagMs: 300,
      },
      actionLimits: {
        roomsPerHour: 20,
        dmsPerHour: 30,
        invitesPerHour: 60,
        searchesPerSecond: 3,
        pagesPerSecond: 5,
      },
      presenceTtlMs: 15_000,
      presenceTickMs: 250,
      trustProxy: false,
      trustedProxyHops: 1,
      metricsToken: undefined,
      headersTimeoutMs: 10_000,
      heartbeatMs: 25_000,
      sessionSweepMs: 30_000,
      retentionSweepMs: 3_600_000,
      logLevel: "info",
      files: {
        store: { kind: "fs", dir: "./data/files" },
        maxUploadBytes: 25 * 1024 * 1024,
        userQuotaBytes: 1024 * 1024 * 1024,
        unclaimedMs: 24 * 3_600_000,
      },
      linkPreviews: { enabled: true, allowHosts: [] },
      webhooks: { allowHosts: [], retryBaseMs: 10_000, timeoutMs: 10_000 },
      commands: { timeoutMs: 5_000 },
      notifications: {
        vapid: undefined,
        vapidSubject: undefined,
        smtpUrl: undefined,
        mailFrom: undefined,
        emailDelayMs: 600_000,
      },
      identity: { requireEmailVerification: false, oidc: undefined, passwordLogin: true },
    });
  });

  it("reads the file store: a folder, or S3 with its options", () => {
    expect(parseConfig({ PARLEY_FILES_URL: "file:///srv/files" }).files.store).toEqual({
      kind: "fs",
      dir: "/srv/files",
    });
    expect(
      parseConfig({
        PARLEY_FILES_URL: "s3://team-files/parley/",
        PARLEY_S3_ENDPOINT: "http://127.0.0.1:9000",
        PARLEY_S3_REGION: "eu-west-1",
        PARLEY_S3_FORCE_PATH_STYLE: "true",
        AWS_ACCESS_KEY_ID: "key",
        AWS_SECRET_ACCESS_KEY: "secret",
        PARLEY_MAX_UPLOAD_MB: "5",
        PARLEY_USER_QUOTA_MB: "50",
        PARLEY_LINK_PREVIEWS: "off",
        PARLEY_LINK_PREVIEW_ALLOW_HOSTS: "Wiki.Internal, 127.0.0.1:8080",
      }),
    ).toMatchObject({
      files: {
        store: {
          kind: "s3",
          bucket: "team-files",
          prefix: "parley/",
          endpoint: "http://127.0.0.1:9000",
          region: "eu-west-1",
          forcePathStyle: true,
          credentials: { accessKeyId: "key", secretAccessKey: "secret" },
        },
        maxUploadBytes: 5 * 1024 * 1024,
        userQuotaBytes: 50 * 1024 * 1024,
      },
      linkPreviews: { enabled: false, allowHosts: ["wiki.internal", "127.0.0.1:8080"] },
    });
    expect(parseConfig({ PARLEY_FILES_URL: "s3://files" }).files.store).toMatchObject({
      prefix: "",
      endpoint: undefined,
      region: "us-east-1",
      forcePathStyle: false,
      credentials: undefined,
    });
  });

  it("reads the retention sweep's interval, refusing nonsense", () => {
    expect(parseConfig({ PARLEY_RETENTION_SWEEP_SECONDS: "2" })).toMatchObject({
      retentionSweepMs: 2_000,
    });
    for (const bad of ["0", "-1", "1.5", "soon", "86401"]) {
      expect(() => parseConfig({ PARLEY_RETENTION_SWEEP_SECONDS: bad })).toThrow(
        "PARLEY_RETENTION_SWEEP_SECONDS",
      );
    }
  });

  it("reads the slash commands' deadline, refusing nonsense", () => {
    expect(parseConfig({ PARLEY_COMMAND_TIMEOUT_MS: "800" }).commands).toEqual({ timeoutMs: 800 });
    for (const bad of ["0", "-5", "soon"]) {
      expect(() => parseConfig({ PARLEY_COMMAND_TIMEOUT_MS: bad })).toThrow(
        "PARLEY_COMMAND_TIMEOUT_MS",
      );
    }
  });

  it("refuses half a pair of S3 credentials", () => {
    expect(() => parseConfig({ PARLEY_FILES_URL: "s3://files", AWS_ACCESS_KEY_ID: "key" })).toThrow(
      /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither/,
    );
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

  it("reads the presence tick in milliseconds", () => {
    expect(parseConfig({ PARLEY_PRESENCE_TICK_MS: "40" }).presenceTickMs).toBe(40);
  });

  it("allows the public URL's origin", () => {
    const config = parseConfig({ PARLEY_PUBLIC_URL: "https://chat.example" });
    expect(config.publicUrl).toBe("https://chat.example");
    expect(config.allowedOrigins).toEqual(["https://chat.example"]);
  });

  it("reads the heartbeat interval in seconds", () => {
    expect(parseConfig({ PARLEY_HEARTBEAT_SECONDS: "1" }).heartbeatMs).toBe(1_000);
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
    ["PARLEY_USER_CONNECTS_PER_MINUTE", "0"],
    ["PARLEY_IP_CONNECTS_PER_MINUTE", "lots"],
    ["PARLEY_TRUST_PROXY", "yes"],
    ["PARLEY_PRESENCE_TTL_SECONDS", "2"],
    ["PARLEY_PRESENCE_TTL_SECONDS", "soon"],
    ["PARLEY_PRESENCE_TICK_MS", "5"],
    ["PARLEY_PRESENCE_TICK_MS", "250.5"],
    ["PARLEY_PRESENCE_TICK_MS", "soon"],
    ["PARLEY_PRESENCE_TICK_MS", "20000"],
    ["PARLEY_METRICS_TOKEN", "short"],
    ["PARLEY_HEARTBEAT_SECONDS", "0"],
    ["PARLEY_HEARTBEAT_SECONDS", "3601"],
    ["PARLEY_FILES_URL", "s3://"],
    ["PARLEY_FILES_URL", "s3://Bad_Bucket"],
    ["PARLEY_FILES_URL", "ftp://files.example"],
    ["PARLEY_S3_ENDPOINT", "127.0.0.1:9000"],
    ["PARLEY_S3_FORCE_PATH_STYLE", "yes"],
    ["PARLEY_MAX_UPLOAD_MB", "0"],
    ["PARLEY_MAX_UPLOAD_MB", "25MB"],
    ["PARLEY_USER_QUOTA_MB", "-5"],
    ["PARLEY_LINK_PREVIEWS", "maybe"],
  ])("a bad %s (%s) names the variable", (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(name);
  });
});

describe("isOriginAllowed", () => {
  it("allows the app's own origin and configured extras", () => {
    expect(isOriginAllowed("http://localhost:3000", "http://localhost:3000", [])).toBe(true);
    expect(
      isOriginAllowed("https://chat.example", "http://internal:3000", ["https://chat.example"]),
    ).toBe(true);
    // Canonical forms compare equal: case of the host, an explicit default port.
    expect(isOriginAllowed("http://LOCALHOST:3000", "http://localhost:3000", [])).toBe(true);
    expect(isOriginAllowed("https://chat.example:443", "https://chat.example", [])).toBe(true);
  });

  it("refuses a foreign or malformed origin", () => {
    expect(isOriginAllowed("https://evil.example", "http://localhost:3000", [])).toBe(false);
    expect(isOriginAllowed("http://localhost:3001", "http://localhost:3000", [])).toBe(false);
    expect(isOriginAllowed("null", "http://localhost:3000", [])).toBe(false);
    expect(isOriginAllowed("ftp://localhost:3000", "http://localhost:3000", [])).toBe(false);
  });

  it("compares the scheme too, not only the host (F-18)", () => {
    expect(isOriginAllowed("https://localhost:3000", "http://localhost:3000", [])).toBe(false);
    expect(isOriginAllowed("http://chat.example", "https://chat.example", [])).toBe(false);
  });

  it("refuses every Origin when the app's own origin is unknown (no Host)", () => {
    expect(isOriginAllowed("http://localhost:3000", null, [])).toBe(false);
  });

  it("lets non-browser clients without Origin through (they carry no ambient cookie)", () => {
    expect(isOriginAllowed(null, "http://localhost:3000", [])).toBe(true);
  });
});

describe("ownOrigin", () => {
  const direct = { publicUrl: undefined, trustProxy: false };
  const proxied = { publicUrl: undefined, trustProxy: true };
  const plain = { host: "chat.example:8080", forwardedProto: null, encrypted: false };

  it("is PARLEY_PUBLIC_URL when set, whatever the request says", () => {
    const config = { publicUrl: "https://Chat.Example", trustProxy: false };
    expect(ownOrigin({ ...plain, forwardedProto: "http" }, config)).toBe("https://chat.example");
    expect(ownOrigin({ ...plain, host: null }, config)).toBe("https://chat.example");
  });

  it("is the request's scheme and Host otherwise", () => {
    expect(ownOrigin(plain, direct)).toBe("http://chat.example:8080");
    expect(ownOrigin({ ...plain, encrypted: true }, direct)).toBe("https://chat.example:8080");
    expect(ownOrigin({ ...plain, host: "Chat.Example:80" }, direct)).toBe("http://chat.example");
  });

  it("honours X-Forwarded-Proto only from a trusted proxy", () => {
    const forwarded = { ...plain, forwardedProto: "https" };
    expect(ownOrigin(forwarded, direct)).toBe("http://chat.example:8080");
    expect(ownOrigin(forwarded, proxied)).toBe("https://chat.example:8080");
    expect(ownOrigin({ ...plain, forwardedProto: "HTTPS, http" }, proxied)).toBe(
      "https://chat.example:8080",
    );
    // Anything but http or https is ignored.
    expect(ownOrigin({ ...plain, forwardedProto: "gopher" }, proxied)).toBe(
      "http://chat.example:8080",
    );
  });

  it("is null for a missing or malformed Host", () => {
    expect(ownOrigin({ ...plain, host: null }, direct)).toBeNull();
    expect(ownOrigin({ ...plain, host: "" }, direct)).toBeNull();
    expect(ownOrigin({ ...plain, host: "evil.example/x" }, direct)).toBeNull();
    expect(ownOrigin({ ...plain, host: "user@chat.example" }, direct)).toBeNull();
    expect(ownOrigin({ ...plain, host: "chat.example:99999" }, direct)).toBeNull();
  });
});

describe("parseConfig: notifications (issue 13)", () => {
  it("takes the VAPID pair, SMTP and the email delay", () => {
    const config = parseConfig({
      PARLEY_VAPID_PUBLIC_KEY: "pub",
      PARLEY_VAPID_PRIVATE_KEY: "priv",
      PARLEY_VAPID_SUBJECT: "mailto:ops@example.com",
      SMTP_URL: "smtps://u:p@mail.example.com:465",
      PARLEY_MAIL_FROM: "Parley <chat@example.com>",
      PARLEY_EMAIL_DELAY_MINUTES: "0.5",
    });
    expect(config.notifications).toEqual({
      vapid: { publicKey: "pub", privateKey: "priv" },
      vapidSubject: "mailto:ops@example.com",
      smtpUrl: "smtps://u:p@mail.example.com:465",
      mailFrom: "Parley <chat@example.com>",
      emailDelayMs: 30_000,
    });
  });

  it("refuses half a VAPID pair, a bad subject, a non-SMTP URL and a zero delay", () => {
    expect(() => parseConfig({ PARLEY_VAPID_PUBLIC_KEY: "pub" })).toThrow(/set both or neither/);
    expect(() => parseConfig({ PARLEY_VAPID_SUBJECT: "ops@example.com" })).toThrow(
      /PARLEY_VAPID_SUBJECT: a mailto: or https: URL/,
    );
    expect(() => parseConfig({ SMTP_URL: "http://mail.example.com" })).toThrow(
      /SMTP_URL: an smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => parseConfig({ PARLEY_EMAIL_DELAY_MINUTES: "0" })).toThrow(
      /PARLEY_EMAIL_DELAY_MINUTES: a number of minutes above 0/,
    );
  });
});

describe("parseConfig: sign-in variables (issue 14)", () => {
  const oidc = {
    PARLEY_OIDC_ISSUER: "https://id.example.com/realms/team",
    PARLEY_OIDC_CLIENT_ID: "parley",
    PARLEY_OIDC_CLIENT_SECRET: "s3cret",
  };

  it("reads the OIDC triple with its button name", () => {
    const config = parseConfig({ ...oidc, PARLEY_OIDC_NAME: "Keycloak" });
    expect(config.identity.oidc).toEqual({
      issuer: "https://id.example.com/realms/team",
      clientId: "parley",
      clientSecret: "s3cret",
      name: "Keycloak",
    });
    expect(parseConfig(oidc).identity.oidc?.name).toBe("SSO");
  });

  it("refuses half an OIDC configuration, naming the three variables", () => {
    expect(() => parseConfig({ PARLEY_OIDC_ISSUER: oidc.PARLEY_OIDC_ISSUER })).toThrow(
      /PARLEY_OIDC_ISSUER, PARLEY_OIDC_CLIENT_ID and PARLEY_OIDC_CLIENT_SECRET/,
    );
  });

  it("refuses an issuer that is not an http(s) URL", () => {
    expect(() => parseConfig({ ...oidc, PARLEY_OIDC_ISSUER: "id.example.com" })).toThrow(
      /PARLEY_OIDC_ISSUER/,
    );
  });

  it("turns password sign-in off only when single sign-on is there", () => {
    expect(parseConfig({ ...oidc, PARLEY_PASSWORD_LOGIN: "off" }).identity.passwordLogin).toBe(
      false,
    );
    expect(() => parseConfig({ PARLEY_PASSWORD_LOGIN: "off" })).toThrow(/nobody could sign in/);
    expect(() => parseConfig({ PARLEY_PASSWORD_LOGIN: "no" })).toThrow(/on or off/);
  });

  it("reads PARLEY_REQUIRE_EMAIL_VERIFICATION as a flag", () => {
    expect(
      parseConfig({ PARLEY_REQUIRE_EMAIL_VERIFICATION: "true" }).identity.requireEmailVerification,
    ).toBe(true);
    expect(() => parseConfig({ PARLEY_REQUIRE_EMAIL_VERIFICATION: "yes" })).toThrow(
      /true or false/,
    );
  });
});
