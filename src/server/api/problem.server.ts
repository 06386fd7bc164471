import type { ProblemCode } from "../../protocol/api-problems";
import { PROBLEM_STATUS } from "../../protocol/api-problems";
import type { ErrorCode } from "../../protocol/frames";

export { PROBLEM_STATUS, type ProblemCode } from "../../protocol/api-problems";

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
