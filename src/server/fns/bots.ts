import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { mayGrantScopes, mayManageBots } from "../../core/admin-policy";
import { checkDisplayName } from "../../core/names";
import { checkTokenRequest } from "../../core/token-rules";
import { readServerRole } from "../auth/server-role.server";
import {
  type BotRow,
  createBot,
  createBotToken,
  isBot,
  listBots,
  revokeBotToken,
} from "../storage/bot-store.server";
import { requireAdmin } from "./admin-guard.server";
import { requireWithin } from "./limit-guard.server";
import { closeTokenSockets } from "./token-guard.server";
import { type TokenAnswer, tokenRequest } from "./tokens";

/**
 * /admin/bots (issue 15): admins make bot users and their tokens. Each
 * change and its audit row commit together (storage/bot-store.server.ts);
 * a revoked token's sockets close after commit on every instance.
 * Deactivating a bot is the console's own deactivation (/admin/users).
 */

const id = z.string().min(1).max(200);
type Answer = { ok: true } | { ok: false; error: string };
const NO_BOT = "This bot is no longer there.";

export const adminBotsFn = createServerFn({ method: "GET" }).handler(
  async (): Promise<{ bots: BotRow[] }> => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "page", user.id);
    const allowed = mayManageBots(role);
    if (!allowed.ok) throw new Error(allowed.error);
    return { bots: await listBots(db) };
  },
);

export const createBotFn = createServerFn({ method: "POST" })
  .validator(z.object({ name: z.string().max(400) }))
  .handler(async ({ data }): Promise<{ ok: true; id: string; handle: string } | Answer> => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "token", user.id);
    const allowed = mayManageBots(role);
    if (!allowed.ok) return allowed;
    const name = checkDisplayName(data.name);
    if (!name.ok) return name;
    const made = await createBot(db, { actorId: user.id, name: name.name });
    runtime.log.info("bot created", { bot: made.id, by: user.id });
    return { ok: true, ...made };
  });

export const createBotTokenFn = createServerFn({ method: "POST" })
  .validator(tokenRequest.extend({ botId: id }))
  .handler(async ({ data }): Promise<TokenAnswer> => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "token", user.id);
    const allowed = mayManageBots(role);
    if (!allowed.ok) return allowed;
    if ((await isBot(db, data.botId)) !== true) return { ok: false, error: NO_BOT };
    const checked = checkTokenRequest(data, Date.now());
    if (!checked.ok) return checked;
    // The bot's own role decides, not the admin's: a bot made here is a member.
    const granted = mayGrantScopes(await readServerRole(db, data.botId), checked.scopes);
    if (!granted.ok) return granted;
    const made = await createBotToken(db, { actorId: user.id, botId: data.botId, ...checked });
    return { ok: true, ...made };
  });

export const revokeBotTokenFn = createServerFn({ method: "POST" })
  .validator(z.object({ botId: id, tokenId: z.string().min(1).max(40) }))
  .handler(async ({ data }): Promise<Answer> => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "token", user.id);
    const allowed = mayManageBots(role);
    if (!allowed.ok) return allowed;
    if ((await isBot(db, data.botId)) !== true) return { ok: false, error: NO_BOT };
    const done = await revokeBotToken(db, { actorId: user.id, ...data });
    if (!done) return { ok: false, error: "This token is already revoked." };
    await closeTokenSockets(runtime, data.tokenId);
    return { ok: true };
  });
