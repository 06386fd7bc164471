import type { ErrorCode } from "../../protocol/frames";

/**
 * The API's error codes: the socket's (an error frame's `code`, so a bot
 * handles one vocabulary on both paths) plus the few only HTTP has.
 */
export type ProblemCode =
  | ErrorCode
  | "unauthorized"
  | "insufficient_scope"
  | "method_not_allowed"
  | "conflict";

/** One table from a code to its HTTP status and title (RFC 9457). */
export const PROBLEM_STATUS: Record<ProblemCode, { status: number; title: string }> = {
  bad_frame: { status: 400, title: "Bad request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  insufficient_scope: { status: 403, title: "Insufficient scope" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  out_of_order: { status: 409, title: "Out of order" },
  too_large: { status: 413, title: "Payload too large" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
};

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
};

/** Thrown by a handler to answer with a problem; the router catches it. */
export class ApiProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** A problem+json answer; `type` names the code under /api/docs so it is stable and readable. */
export function problemResponse(problem: ApiProblem): Response {
  const { status, title } = PROBLEM_STATUS[problem.code];
  const body: ProblemBody = {
    type: `/api/docs#problem-${problem.code}`,
    title,
    status,
    detail: problem.detail,
    code: problem.code,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
  });
}

/** The problem for an error frame act() answered (rate_limited carries its wait as Retry-After). */
export function problemOfError(error: {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}): ApiProblem {
  const headers: Record<string, string> = {};
  if (error.code === "rate_limited")
    headers["retry-after"] = String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)));
  return new ApiProblem(error.code, error.message, headers);
}
