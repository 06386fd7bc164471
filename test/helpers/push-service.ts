import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One push as the push service received it. */
export type ReceivedPush = {
  /** The device: the last path segment of the endpoint. */
  device: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** performance.timeOrigin + performance.now() when it arrived (ms). */
  at: number;
};

/**
 * A push service on loopback for tests: HTTPS (web-push speaks only
 * HTTPS) with a certificate made for 127.0.0.1, whose file the server under
 * test trusts through NODE_EXTRA_CA_CERTS. Each endpoint `/push/<device>`
 * answers 201, or the status set for that device (410: the browser
 * unsubscribed).
 */
export async function startPushService() {
  const dir = mkdtempSync(join(tmpdir(), "parley-push-"));
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1"],
    ],
    { stdio: "ignore" },
  );
  const received: ReceivedPush[] = [];
  const statuses = new Map<string, number>();
  let waiters: { match: (push: ReceivedPush) => boolean; resolve: (push: ReceivedPush) => void }[] =
    [];
  const server: Server = createServer(
    { key: readFileSync(keyFile), cert: readFileSync(certFile) },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const device = (request.url ?? "").split("/").pop() ?? "";
        const push: ReceivedPush = {
          device,
          headers: request.headers,
          body: Buffer.concat(chunks),
          at: performance.timeOrigin + performance.now(),
        };
        received.push(push);
        response.writeHead(statuses.get(device) ?? 201).end();
        waiters = waiters.filter((waiter) => {
          if (!waiter.match(push)) return true;
          waiter.resolve(push);
          return false;
        });
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    certFile,
    received,
    endpoint: (device: string) => `${origin}/push/${device}`,
    /** Answers pushes to this device with `status` from now on. */
    answer(device: string, status: number) {
      statuses.set(device, status);
    },
    /** The first push (received already, or to come) that matches. */
    next(match: (push: ReceivedPush) => boolean, timeoutMs = 10_000): Promise<ReceivedPush> {
      const seen = received.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no matching push within ${timeoutMs} ms (${received.length} received)`),
            ),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (push) => {
            clearTimeout(timer);
            resolve(push);
          },
        });
      });
    },
    pushesTo: (device: string) => received.filter((push) => push.device === device),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type PushService = Awaited<ReturnType<typeof startPushService>>;
