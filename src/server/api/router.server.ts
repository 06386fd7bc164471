import type { z } from "zod";
import { readCapped } from "../body-limit";
import type { Runtime } from "../runtime.server";
import { getRealtime } from "../ws/realtime.server";
import { actorLimitsOf } from "./act.server";
import { authenticate } from "./auth.server";
import { buildOpenApi } from "./openapi.server";
import { ApiProblem, problemOfError, problemResponse } from "./problem.server";
import type { ApiRoute } from "./route";
import { API_ROUTES } from "./routes.server";

/** The API's body cap: the socket's frame cap (64 KiB). */
export const API_BODY_LIMIT = 64 * 1024;
export const API_PREFIX = "/api/v1";

/** `{name}` segments of a path matched against a request path: the params, or undefined. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? "";
    const g = got[i] ?? "";
    if (w.startsWith("{")) {
      if (!g) return undefined;
      try {
        params[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? `${where}.${issue.path.join(".")}` : where;
  throw new ApiProblem("bad_frame", `${at}: ${issue?.message ?? "invalid"}`);
}

async function readJson(request: Request): Promise<unknown> {
  const bytes = await readCapped(request, API_BODY_LIMIT);
  if (bytes === null) throw new ApiProblem("too_large", `the body is over ${API_BODY_LIMIT} bytes`);
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new ApiProblem("bad_frame", "the body must be application/json");
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiProblem("bad_frame", "the body is not valid JSON");
  }
}

async function dispatch(runtime: Runtime, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.slice(API_PREFIX.length).replace(/\/$/, "") || "/";
  if (path === "/openapi.json" && request.method === "GET") {
    return Response.json(buildOpenApi(), { headers: { "cache-control": "no-cache" } });
  }
  const matches = API_ROUTES.map((r) => ({ r, params: matchPath(r.path, path) })).filter(
    (m) => m.params !== undefined,
  );
  if (matches.length === 0) throw new ApiProblem("not_found", `no operation at ${path}`);
  const found = matches.find((m) => m.r.method === request.method);
  if (!found) {
    const allow = [...new Set(matches.map((m) => m.r.method))].join(", ");
    throw new ApiProblem("method_not_allowed", `${request.method} is not allowed here`, {
      allow,
    });
  }
  const route: ApiRoute = found.r;
  const grant = await authenticate(runtime, request, route.scope);
  const realtime = await getRealtime();
  if (!route.acts) {
    // Writes spend inside act(); everything else spends here, from the same bucket.
    const wait = actorLimitsOf(realtime).take(`token:${grant.id}`);
    if (wait > 0) {
      runtime.metrics.rateLimited.inc();
      throw problemOfError({ code: "rate_limited", message: "slow down", retryAfterMs: wait });
    }
  }
  const params = route.params ? parseOrThrow(route.params, found.params, "path") : {};
  const query = route.query
    ? parseOrThrow(route.query, Object.fromEntries(url.searchParams), "query")
    : undefined;
  const body = route.body ? parseOrThrow(route.body, await readJson(request), "body") : undefined;
  const answer = await route.handle({
    runtime,
    realtime,
    grant,
    params,
    query,
    body,
    headers: request.headers,
  });
  return Response.json(answer.body, { status: answer.status, headers: answer.headers });
}

/**
 * Answers one /api/v1 request: the route's auth and scope, its rate limit,
 * its validated parts, its handler; every failure is problem+json.
 */
export async function handleApi(runtime: Runtime, request: Request): Promise<Response> {
  try {
    return await dispatch(runtime, request);
  } catch (error) {
    if (error instanceof ApiProblem) return problemResponse(error);
    runtime.log.error("api request failed", { error: String(error) });
    return problemResponse(new ApiProblem("internal", "the server failed on this request"));
  }
}
