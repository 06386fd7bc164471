import type { ErrorCode } from "./frames";

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

/**
 * One table from a code to its HTTP status and title (RFC 9457); the /api/docs page lists
 * it under "Errors", each code at the anchor a problem's `type` names.
 */
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
