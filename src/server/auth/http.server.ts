import { checkHandle } from "../../core/handles";
import { checkDisplayName } from "../../core/names";
import type { Config } from "../../env";
import { lingerThenCut, readCapped } from "../body-limit";
import { clientIp } from "../client-ip";
import type { EventBus } from "../events.server";
import type { AccountLocks } from "./account-lock.server";
import { type Auth, CLIENT_IP_HEADER, sessionOf } from "./auth.server";
import { HANDLE_TAKEN_MESSAGE } from "./handles.server";
import { passwordLoginRefusal } from "./oidc.server";
import { resetEndingSessions } from "./reset-sessions.server";

/** The largest request body /api/auth reads; anything bigger is refused (413) unread. */
export const AUTH_BODY_LIMIT = 64 * 1024;

/** Endpoints after which some of the caller's sessions may be gone (their sockets must close). */
const REVOKING = new Set([
  "/change-password",
  "/revoke-session",
  "/revoke-sessions",
  "/revoke-other-sessions",
  // Turning two-factor on or off replaces the caller's session with a new one.
  "/two-factor/verify-totp",
  "/two-factor/disable",
]);

type AuthRuntime = {
  auth: Auth;
  events: EventBus;
  config: Pick<Config, "trustProxy" | "trustedProxyHops" | "identity">;
  accountLocks: AccountLocks;
};

/** A JSON error in better-auth's shape ({code, message}), never cached. */
export function jsonError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ code, message }), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** 413 for a body over `limit`; the connection is cut once the answer had its chance. */
export function tooLarge(request: Request, limit: number): Response {
  const response = jsonError(
    413,
    "PAYLOAD_TOO_LARGE",
    `Request bodies here are at most ${Math.round(limit / 1024)} KiB.`,
  );
  lingerThenCut(request, response.headers);
  return response;
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Tokens of this user's sessions, as stored. */
async function sessionTokens(auth: Auth, userId: string): Promise<Set<string>> {
  const context = await auth.$context;
  const rows = await context.adapter.findMany<{ token: string }>({
    model: "session",
    where: [{ field: "userId", value: userId }],
    select: ["token"],
    limit: 100_000,
  });
  return new Set(rows.map((row) => row.token));
}

/**
 * Everything under /api/auth: caps the body, keys better-auth's rate limit
 * by the real client address, checks display names, applies the per-email
 * sign-in lock, hides whether a sign-up's email is registered, and closes
 * the sockets of every session that a request ended.
 */
export async function handleAuthRequest(runtime: AuthRuntime, request: Request): Promise<Response> {
  const { auth, accountLocks } = runtime;
  const url = new URL(request.url);
  const path = url.pathname.replace(/^\/api\/auth/, "");
  const post = request.method === "POST";
  // PARLEY_PASSWORD_LOGIN=off: only single sign-on signs anyone in.
  const passwordOff = passwordLoginRefusal(runtime.config, request.method, path);
  if (passwordOff) return passwordOff;

  const body = post ? await readCapped(request, AUTH_BODY_LIMIT) : undefined;
  if (body === null) return tooLarge(request, AUTH_BODY_LIMIT);

  const headers = new Headers(request.headers);
  headers.set(CLIENT_IP_HEADER, clientIp(request, runtime.config));
  let forwardedBody: BodyInit | undefined = body && body.byteLength > 0 ? body : undefined;

  const json = body && body.byteLength > 0 ? parseJson(body) : undefined;
  if (post && (path === "/sign-up/email" || path === "/update-user") && isRecord(json)) {
    if ("name" in json) {
      const checked = checkDisplayName(json.name);
      if (!checked.ok) return jsonError(400, "INVALID_NAME", checked.error);
      forwardedBody = JSON.stringify({ ...json, name: checked.name });
      headers.delete("content-length");
    }
  }
  const forward = () =>
    auth.handler(
      new Request(request.url, {
        method: request.method,
        headers,
        body: post ? forwardedBody : undefined,
      }),
    );

  let response: Response;
  if (post && path === "/sign-in/email" && isRecord(json) && typeof json.email === "string") {
    response = await signInWithLock(accountLocks, json.email, forward);
  } else if (post && path === "/reset-password") {
    // A reset revokes the user's sessions; their sockets close (issue 14).
    const token = isRecord(json) && json.token ? json.token : url.searchParams.get("token");
    response = await resetEndingSessions(runtime, token, forward);
  } else if (post && (path === "/sign-out" || REVOKING.has(path))) {
    response = await endingSessions(runtime, request.headers, path, forward);
  } else {
    response = await forward();
  }

  if (post && path === "/sign-up/email" && response.status === 422) {
    const error = (await response
      .clone()
      .json()
      .catch(() => ({}))) as { code?: string };
    if (error.code?.startsWith("USER_ALREADY_EXISTS")) response = signUpRefused();
    // Two sign-ups raced for one handle: both passed the hook's check and
    // the unique index refused the second insert. Its author gets the same
    // clear answer as if it had been taken before.
    else if (error.code === "FAILED_TO_CREATE_USER" && isRecord(json)) {
      if (await handleNowTaken(auth, json.handle)) response = handleTaken();
    }
  }
  return noStore(response);
}

/**
 * A sign-up with a registered email answers like other refused sign-ups
 * (400, one message for the form) instead of better-auth's 422 "already
 * exists". Without email verification a refusal of otherwise valid details
 * still implies the email is in use; the per-address limit bounds how fast
 * anyone can ask.
 */
function signUpRefused(): Response {
  return jsonError(
    400,
    "SIGN_UP_REFUSED",
    "No account can be created with these details. If you already have an account, sign in instead.",
  );
}

function handleTaken(): Response {
  return jsonError(400, "HANDLE_TAKEN", HANDLE_TAKEN_MESSAGE);
}

/** True when a sign-up's (valid) handle belongs to an account now. */
async function handleNowTaken(auth: Auth, handle: unknown): Promise<boolean> {
  const checked = checkHandle(handle);
  if (!checked.ok) return false;
  const context = await auth.$context;
  const found = await context.adapter.findOne<{ id: string }>({
    model: "user",
    where: [{ field: "handle", value: checked.handle }],
    select: ["id"],
  });
  return found !== null;
}

async function signInWithLock(
  locks: AccountLocks,
  email: string,
  forward: () => Promise<Response>,
): Promise<Response> {
  return locks.serialize(email, async () => {
    const lockedMs = await locks.lockedFor(email);
    if (lockedMs > 0) return accountLocked(lockedMs);
    const response = await forward();
    if (response.status === 401) await locks.failed(email);
    else if (response.ok) await locks.succeeded(email);
    return response;
  });
}

function accountLocked(ms: number): Response {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return jsonError(
    429,
    "ACCOUNT_LOCKED",
    `Too many failed sign-ins for this account. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`,
    { "retry-after": String(seconds) },
  );
}

/** Runs a request that may end sessions; each session it ended loses its sockets on every instance. */
async function endingSessions(
  runtime: AuthRuntime,
  headers: Headers,
  path: string,
  forward: () => Promise<Response>,
): Promise<Response> {
  const { auth, events } = runtime;
  const session = await sessionOf(auth, headers);
  if (!session) return forward();
  const before =
    path === "/sign-out" ? new Set([session.token]) : await sessionTokens(auth, session.user.id);
  const response = await forward();
  if (!response.ok) return response;
  const after =
    path === "/sign-out" ? new Set<string>() : await sessionTokens(auth, session.user.id);
  for (const token of before) {
    if (!after.has(token)) events.emit({ type: "signed_out", token });
  }
  return response;
}

/** The same answer, marked never to be stored by a browser or a proxy. */
function noStore(response: Response): Response {
  const copy = new Response(response.body, response);
  copy.headers.set("cache-control", "no-store");
  // better-auth's own 429 (the per-address limit) says when only in X-Retry-After.
  const retry = copy.headers.get("x-retry-after");
  if (copy.status === 429 && retry && !copy.headers.has("retry-after")) {
    copy.headers.set("retry-after", retry);
  }
  return copy;
}
