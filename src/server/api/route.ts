import type { z } from "zod";
import type { Scope } from "../../core/scopes";
import type { TokenGrant } from "../auth/api-token.server";
import type { Runtime } from "../runtime.server";
import type { Realtime } from "../ws/realtime.server";

/** What a handler gets: the caller's grant and its validated parts. */
export type ApiContext<P = Record<string, string>, Q = unknown, B = unknown> = {
  runtime: Runtime;
  realtime: Realtime;
  grant: TokenGrant;
  params: P;
  query: Q;
  body: B;
  headers: Headers;
};

export type ApiAnswer = { status: number; body: unknown; headers?: Record<string, string> };

/**
 * One operation: its path (`{name}` for a parameter), the scope it needs,
 * and the zod schemas that both validate it (router.server.ts) and
 * document it (openapi.server.ts).
 */
export type ApiRoute = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  operationId: string;
  tag: "Rooms" | "Messages" | "Users" | "Search";
  summary: string;
  scope: Scope;
  /** Its handler goes through act(), which spends from the token's bucket; others spend in the router. */
  acts?: boolean;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Request headers it reads (documented as parameters). */
  headers?: z.ZodObject;
  /** Success answers by status; problems are added for every route. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  // biome-ignore lint/suspicious/noExplicitAny: each route's handler types its own context
  handle(ctx: ApiContext<any, any, any>): Promise<ApiAnswer>;
};

/** Declares a route with its handler's context typed from its schemas. */
export function route<
  P extends z.ZodObject | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
>(
  definition: Omit<ApiRoute, "handle" | "params" | "query" | "body"> & {
    params?: P;
    query?: Q;
    body?: B;
    handle(
      ctx: ApiContext<
        P extends z.ZodObject ? z.output<P> : Record<string, never>,
        Q extends z.ZodType ? z.output<Q> : undefined,
        B extends z.ZodType ? z.output<B> : undefined
      >,
    ): Promise<ApiAnswer>;
  },
): ApiRoute {
  return definition as ApiRoute;
}
