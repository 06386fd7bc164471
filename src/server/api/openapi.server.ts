import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import type { z } from "zod";
import { PROBLEM_STATUS } from "./problem.server";
import { API_ROUTES } from "./routes.server";
import { problemSchema } from "./schemas";

let cached: unknown;

/** Problems every operation may answer, besides its own successes. */
function problemStatuses(write: boolean): number[] {
  const statuses = [400, 401, 403, 404, 429, 500];
  if (write) statuses.push(405, 409, 413);
  return statuses.sort((a, b) => a - b);
}

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the
 * router validates with (never written by hand); built once per process.
 */
export function buildOpenApi(): unknown {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  // Schemas are inlined: naming them (registry.register) needs zod's
  // .openapi() patch, which the server bundle's zod copy does not carry.
  const problem = problemSchema;
  const bearer = registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A personal access token (pat_...) from /settings/tokens",
  });
  for (const r of API_ROUTES) {
    const responses: Record<string, object> = {};
    for (const [status, { description, schema }] of Object.entries(r.responses)) {
      responses[status] = schema
        ? { description, content: { "application/json": { schema } } }
        : { description };
    }
    for (const status of problemStatuses(r.method !== "GET")) {
      const title =
        Object.values(PROBLEM_STATUS).find((p) => p.status === status)?.title ?? "Problem";
      responses[String(status)] = {
        description: title,
        content: { "application/problem+json": { schema: problem } },
      };
    }
    registry.registerPath({
      method: r.method.toLowerCase() as "get",
      path: `/api/v1${r.path}`,
      operationId: r.operationId,
      tags: [r.tag],
      summary: r.summary,
      security: [{ [bearer.name]: [r.scope] }],
      request: {
        ...(r.params ? { params: r.params } : {}),
        ...(r.query ? { query: r.query as z.ZodObject } : {}),
        ...(r.headers ? { headers: r.headers } : {}),
        ...(r.body
          ? { body: { required: true, content: { "application/json": { schema: r.body } } } }
          : {}),
      },
      responses,
    });
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  cached = generator.generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Parley REST API",
      version: "1",
      description:
        "Parley's REST API v1. Errors are RFC 9457 problem+json whose `code` is the websocket's error code.",
    },
    servers: [{ url: "/" }],
  });
  return cached;
}
