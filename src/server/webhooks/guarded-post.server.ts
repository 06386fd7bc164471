/**
 * The POST an outgoing webhook makes, under the same SSRF rules as link
 * previews (previews/address-guard): the name is resolved and every
 * address vetted first (unless the host is on PARLEY_WEBHOOK_ALLOW_HOSTS),
 * the connection goes to the vetted address itself, redirects are not
 * followed (a 3xx is a failed delivery: a signed body must not be replayed
 * elsewhere), one deadline covers the exchange and the answer's body is
 * capped.
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { addressRefusal, isAllowedHost, isIpLiteral, urlRefusal } from "../previews/address-guard";
import { type Resolved, type Resolver, systemResolver } from "../previews/guarded-fetch.server";

export type PostOptions = {
  allowHosts: readonly string[];
  timeoutMs: number;
  resolve?: Resolver;
  /** Body bytes of the answer read at most (the rest is dropped: 64 KiB by default). */
  maxBytes?: number;
};

/**
 * Either the receiver answered (any status), or it could not be reached,
 * and why (`timedOut`: the deadline fired, so a person can be told "no
 * answer in time" without reading the reason's words).
 */
export type PostOutcome =
  | { ok: true; status: number; body: string }
  | { ok: false; reason: string; timedOut?: true };

export const ANSWER_MAX_BYTES = 64 * 1024;
const USER_AGENT = "ParleyWebhook/1 (self-hosted chat; outgoing webhook)";

/** Where to connect for `url`, or why not (every address must pass). */
async function vet(url: URL, options: PostOptions): Promise<Resolved | string> {
  const refused = urlRefusal(url);
  if (refused) return refused;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: Resolved[];
  if (isIpLiteral(host)) addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch (error) {
      return `${host} does not resolve (${(error as Error).message})`;
    }
  }
  const [first] = addresses;
  if (!first) return `${host} has no address`;
  if (isAllowedHost(url, options.allowHosts)) return first;
  for (const { address } of addresses) {
    const why = addressRefusal(address);
    if (why) return `${host} is ${address}, ${why}`;
  }
  return first;
}

/** POSTs `body` to `target` with `headers`; never throws. */
export async function guardedPost(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostOutcome> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false, reason: "not a URL" };
  }
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`timed out after ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  try {
    const vetted = await Promise.race([
      vet(url, options),
      new Promise<never>((_, reject) =>
        controller.signal.addEventListener("abort", () => reject(controller.signal.reason), {
          once: true,
        }),
      ),
    ]);
    if (typeof vetted === "string") return { ok: false, reason: vetted };
    return await send(url, vetted, body, headers, options, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) {
      return { ok: false, reason: (controller.signal.reason as Error).message, timedOut: true };
    }
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function send(
  url: URL,
  target: Resolved,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
  signal: AbortSignal,
): Promise<PostOutcome> {
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Resolved[]) => void)(null, [target]);
    } else callback(null, target.address, target.family);
  };
  const client = url.protocol === "https:" ? https : http;
  const max = options.maxBytes ?? ANSWER_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": USER_AGENT,
          "accept-encoding": "identity",
        },
        lookup: pinned,
        agent: false,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size >= max) return;
          size += chunk.length;
          chunks.push(chunk);
        });
        response.on("end", () =>
          resolve({
            ok: true,
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, max).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
