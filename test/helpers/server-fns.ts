import { readFileSync } from "node:fs";
import { fromCrossJSON, toJSONAsync } from "seroval";

/**
 * Calls the built server's TanStack Start server functions over real HTTP,
 * as the browser's fetcher does (seroval-encoded payload, `x-tsr-serverFn`),
 * so integration tests reach them without a browser. Ids are read from the
 * build's server-function manifest (.output/server/_ssr/ssr.mjs).
 */
let ids: Map<string, string> | undefined;

function serverFnId(name: string): string {
  if (!ids) {
    ids = new Map();
    const source = readFileSync(".output/server/_ssr/ssr.mjs", "utf8");
    for (const match of source.matchAll(
      /"([0-9a-f]{64}(?:_\d+)?)":\s*\{\s*functionName:\s*"(\w+?)_createServerFn_handler"/g,
    )) {
      ids.set(String(match[2]), String(match[1]));
    }
  }
  const id = ids.get(name);
  if (!id) throw new Error(`no server function ${name} in the build (have ${[...ids.keys()]})`);
  return id;
}

export type ServerFnAnswer<T> =
  | { status: number; ok: true; result: T }
  | { status: number; ok: false; error: { message?: string } & Record<string, unknown> };

/** Calls a server function by export name as the cookie's user. */
export async function callServerFn<T = unknown>(
  baseUrl: string,
  name: string,
  data: unknown,
  options: { cookie?: string; method?: "GET" | "POST"; headers?: Record<string, string> } = {},
): Promise<ServerFnAnswer<T>> {
  const method = options.method ?? "POST";
  const payload = JSON.stringify(await toJSONAsync({ data }));
  const headers: Record<string, string> = {
    "x-tsr-serverFn": "true",
    accept: "application/json",
    origin: baseUrl,
    ...(options.cookie ? { cookie: options.cookie } : {}),
    ...options.headers,
  };
  let url = `${baseUrl}/_serverFn/${serverFnId(name)}`;
  let body: string | undefined;
  if (method === "GET") url += `?payload=${encodeURIComponent(payload)}`;
  else {
    headers["content-type"] = "application/json";
    body = payload;
  }
  const response = await fetch(url, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  let decoded: { result?: T; error?: unknown } = {};
  try {
    decoded = fromCrossJSON(JSON.parse(text), { refs: new Map() }) as typeof decoded;
  } catch {
    // Errors carry the router's own seroval plugin ($TSR/Error): read the message plainly.
    const message = /"message":\{"t":1,"s":"((?:[^"\\]|\\.)*)"/.exec(text)?.[1];
    return {
      status: response.status,
      ok: false,
      error: { message: message === undefined ? text : JSON.parse(`"${message}"`) },
    };
  }
  if ("error" in decoded && decoded.error !== undefined) {
    const error = decoded.error as { message?: string };
    return { status: response.status, ok: false, error: { ...error, message: error.message } };
  }
  return { status: response.status, ok: true, result: decoded.result as T };
}
