import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/supervisor.ts";
import { runExpectingExit } from "../helpers/integration-extra";
import { type S3TestServer, startS3Server } from "../helpers/s3-server";

// The built server with PARLEY_FILES_URL=s3://...: it must refuse to start
// when the bucket cannot be used, saying which bucket at which endpoint and
// why (never the secret), and start when it can. s3rver is started here.
const SECRET = "do-not-print-this-secret-7f3a";

describe("the S3 file store at startup", () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it("an endpoint nobody listens on stops the server, naming bucket and endpoint", async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const { code, output } = await runExpectingExit(
      {
        ...s3.serverEnv("parley-files"),
        PARLEY_S3_ENDPOINT: endpoint,
        AWS_SECRET_ACCESS_KEY: SECRET,
      },
      { runningWhen: /file store ready/, timeoutMs: 20_000 },
    );
    expect(code, `still running:\n${output}`).not.toBeNull();
    expect(code, output).not.toBe(0);
    expect(output).toContain(
      `The S3 file store (bucket parley-files at ${endpoint}) cannot be used`,
    );
    expect(output).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(output).not.toContain(SECRET);
  });

  it("a bucket that does not exist stops the server and says so", async () => {
    const { code, output } = await runExpectingExit(
      { ...s3.serverEnv("no-such-bucket"), AWS_SECRET_ACCESS_KEY: SECRET },
      { runningWhen: /file store ready/, timeoutMs: 20_000 },
    );
    expect(code, `still running:\n${output}`).not.toBeNull();
    expect(code, output).not.toBe(0);
    expect(output).toContain(`bucket no-such-bucket at ${s3.endpoint}`);
    expect(output).toContain("the bucket no-such-bucket does not exist");
    expect(output).not.toContain(SECRET);
  });

  it("refused credentials stop the server and point at the key variables", async () => {
    const { code, output } = await runExpectingExit(
      { ...s3.serverEnv(), AWS_ACCESS_KEY_ID: "NOBODY", AWS_SECRET_ACCESS_KEY: SECRET },
      { runningWhen: /file store ready/, timeoutMs: 20_000 },
    );
    expect(code, `still running:\n${output}`).not.toBeNull();
    expect(code, output).not.toBe(0);
    expect(output).toMatch(/access to the bucket \S+ was refused \(HTTP 403\)/);
    expect(output).toContain("AWS_ACCESS_KEY_ID");
    expect(output).not.toContain(SECRET);
  });

  it("a reachable bucket starts the server, which logs where files go", async () => {
    const { code, output } = await runExpectingExit(
      // s3rver checks the key id only, so this secret is accepted: it must not be logged.
      { ...s3.serverEnv(), AWS_SECRET_ACCESS_KEY: SECRET, LOG_LEVEL: "info" },
      { runningWhen: /file store ready/, timeoutMs: 20_000 },
    );
    // runExpectingExit kills a server that got this far: code null means it ran.
    expect(code, output).toBeNull();
    expect(output).toContain(`bucket ${s3.bucket} at ${s3.endpoint}`);
    expect(output).not.toContain(SECRET);
  });
});
