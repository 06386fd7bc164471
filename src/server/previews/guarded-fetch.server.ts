/**
 * An HTTP GET that cannot be turned against the server (SSRF): the name is
 * resolved first and every address it has is vetted (address-guard); the
 * connection then goes to the vetted address itself, through a `lookup`
 * that returns it, so a second DNS answer (rebinding) cannot swap in
 * another; redirects are followed by hand, at most three, each hop vetted
 * again; one deadline covers the whole exchange; the body is capped and
 * only the content types asked for are read.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { addressRefusal, isAllowedHost, isIpLiteral, urlRefusal } from "./address-guard";

export type Resolved = { address: string; family: 4 | 6 };
/** Every address a name resolves to (tests inject one; the default asks the system). */
export type Resolver = (hostname: string) => Promise<Resolved[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export type GuardOptions = {
  /** PARLEY_LINK_PREVIEW_ALLOW_HOSTS: hosts fetched even on private addresses. */
  allowHosts: readonly string[];
  /** Media types read (lowercase, no parameters); any other is refused unread. */
  accept: readonly string[];
  resolve?: Resolver;
  /** The whole exchange, redirects included (5 s by default). */
  timeoutMs?: number;
  /** The most body bytes read; a longer body is refused (1 MB by default). */
  maxBytes?: number;
  /** Redirects followed at most (3 by default). */
  maxRedirects?: number;
};

export type Fetched = {
  ok: true;
  /** The URL the body came from (after redirects). */
  url: string;
  contentType: string;
  /** The `charset` the response named, lowercase, if any. */
  charset?: string;
  body: Buffer;
};
export type FetchOutcome = Fetched | { ok: false; reason: string };

export const PREVIEW_TIMEOUT_MS = 5_000;
export const PAGE_MAX_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 3;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = "ParleyLinkPreview/1 (self-hosted chat; link previews)";

/** A refusal carried out of the request's callbacks. */
class Refused extends Error {}

/** Fetches `url` under the guard; never throws (a refusal or failure says why). */
export async function guardedGet(url: string, options: GuardOptions): Promise<FetchOutcome> {
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? PREVIEW_TIMEOUT_MS;
  const timer = setTimeout(
    () => controller.abort(new Refused(`timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    return await follow(url, options, controller.signal);
  } catch (error) {
    const reason = controller.signal.aborted
      ? String((controller.signal.reason as Error).message)
      : error instanceof Error
        ? error.message
        : String(error);
    return { ok: false, reason };
  } finally {
    clearTimeout(timer);
  }
}

async function follow(start: string, options: GuardOptions, signal: AbortSignal) {
  let current: URL;
  try {
    current = new URL(start);
  } catch {
    return { ok: false as const, reason: "not a URL" };
  }
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  for (let hop = 0; ; hop++) {
    // A look-up does not take the signal: the deadline races it.
    const target = await beforeDeadline(vet(current, options), signal);
    if (typeof target === "string") return { ok: false as const, reason: target };
    const response = await get(current, target, signal);
    const status = response.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      response.destroy();
      const location = response.headers.location;
      if (!location) return { ok: false as const, reason: `HTTP ${status} without a Location` };
      if (hop >= maxRedirects) return { ok: false as const, reason: "too many redirects" };
      current = new URL(location, current);
      continue;
    }
    if (status !== 200) {
      response.destroy();
      return { ok: false as const, reason: `HTTP ${status}` };
    }
    const contentType = mediaType(response.headers["content-type"]);
    const charset = /;\s*charset="?([\w.:-]+)/i.exec(response.headers["content-type"] ?? "")?.[1];
    if (!options.accept.includes(contentType)) {
      response.destroy();
      return { ok: false as const, reason: `content type ${contentType || "(none)"}` };
    }
    const body = await readCapped(response, options.maxBytes ?? PAGE_MAX_BYTES);
    if (!body) return { ok: false as const, reason: "body over the size cap" };
    return {
      ok: true as const,
      url: current.href,
      contentType,
      ...(charset && { charset: charset.toLowerCase() }),
      body,
    };
  }
}

/**
 * The address to connect to for `url`, or why not: every address of the
 * name must pass (an attacker's name may list a public address beside a
 * private one), unless the host is on the allow list.
 */
async function vet(url: URL, options: GuardOptions): Promise<Resolved | string> {
  const refused = urlRefusal(url);
  if (refused) return refused;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = isIpLiteral(host);
  let addresses: Resolved[];
  if (literal) {
    addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  } else {
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
    if (why) return `${host} is ${literal ? "" : `${address}, `}${why}`;
  }
  return first;
}

/** One GET to the vetted address (never to what a later look-up would answer). */
function get(url: URL, target: Resolved, signal: AbortSignal): Promise<http.IncomingMessage> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily).
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Resolved[]) => void)(null, [target]);
    } else callback(null, target.address, target.family);
  };
  const client = url.protocol === "https:" ? https : http;
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        protocol: url.protocol,
        hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: {
          "user-agent": USER_AGENT,
          accept: "text/html,application/xhtml+xml;q=0.9,image/*;q=0.8",
          "accept-encoding": "identity",
        },
        lookup: pinned,
        // No pooled socket: each hop connects to its own vetted address.
        agent: false,
        signal,
      },
      resolve,
    );
    request.on("error", reject);
    request.end();
  });
}

/** The body, or undefined once it passes `max` bytes (the rest is never read). */
async function readCapped(
  response: http.IncomingMessage,
  max: number,
): Promise<Buffer | undefined> {
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) {
    response.destroy();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      response.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `work`, or the signal's reason once it aborts first. */
function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** "text/html; charset=utf-8" → "text/html". */
function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}
