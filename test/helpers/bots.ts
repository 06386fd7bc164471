import WebSocket from "ws";
import { TestSocket } from "./clients";
import { callServerFn } from "./server-fns";

/** Opens /_ws with `Authorization: Bearer <token>` and no Origin (a bot); resolves after `ready`. */
export async function connectWithToken(
  baseUrl: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<TestSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/_ws`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  const socket = new TestSocket(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
  });
  await socket.next((f) => f.type === "ready");
  return socket;
}

/** Makes a bot as the admin's cookie; answers its id. */
export async function makeBot(baseUrl: string, cookie: string, name: string): Promise<string> {
  const made = await callServerFn<{ ok: boolean; id: string; error?: string }>(
    baseUrl,
    "createBotFn",
    { name },
    { cookie },
  );
  if (!made.ok || !made.result.ok) throw new Error(`bot not made: ${JSON.stringify(made)}`);
  return made.result.id;
}

/** Makes a token for a bot as the admin's cookie; answers its id and the token. */
export async function makeBotToken(
  baseUrl: string,
  cookie: string,
  botId: string,
  scopes: string[] = ["read", "write"],
): Promise<{ id: string; token: string }> {
  const made = await callServerFn<{ ok: boolean; id: string; token: string }>(
    baseUrl,
    "createBotTokenFn",
    { botId, name: "test", scopes, expiresAt: null },
    { cookie },
  );
  if (!made.ok || !made.result.ok) throw new Error(`token not made: ${JSON.stringify(made)}`);
  return { id: made.result.id, token: made.result.token };
}
