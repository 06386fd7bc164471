import { createServerFn } from "@tanstack/react-start";
import { z } from "zod";
import { mayManageCommands } from "../../core/admin-policy";
import type { CommandInfo } from "../../core/commands";
import { checkCommandInput, commandInfo } from "../../core/custom-commands";
import { type CustomCommand, createCommandStore } from "../commands/command-store.server";
import { type RunOutcome, runCustomCommand } from "../commands/run-command.server";
import { getRealtime } from "../ws/realtime.server";
import { requireAdmin } from "./admin-guard.server";
import { requireUser } from "./auth-guard.server";
import { requireWithin } from "./limit-guard.server";

/**
 * Custom slash commands (issue 15), the UI's calls: every signed-in user
 * sees the list (the composer offers it) and runs them; admins register
 * and delete them at /admin/commands. A change and its audit row commit
 * together (commands/command-store.server.ts).
 */
type Answer = { ok: true } | { ok: false; error: string };

function storeOf(db: Parameters<typeof createCommandStore>[0] | undefined) {
  if (!db) throw new Error("slash commands need a database");
  return createCommandStore(db);
}

/** What the composer offers beyond the built-ins. */
export const listCommandsFn = createServerFn({ method: "GET" }).handler(
  async (): Promise<{ commands: CommandInfo[] }> => {
    const { runtime } = await requireUser();
    const commands = await storeOf(runtime.db).list();
    return { commands: commands.map(commandInfo) };
  },
);

/** The console's table. */
export const adminCommandsFn = createServerFn({ method: "GET" }).handler(
  async (): Promise<{ commands: CustomCommand[] }> => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "page", user.id);
    const allowed = mayManageCommands(role);
    if (!allowed.ok) throw new Error(allowed.error);
    return { commands: await storeOf(db).list() };
  },
);

/** Registers a command; the signing secret is in this answer only. */
export const createCommandFn = createServerFn({ method: "POST" })
  .validator(
    z.object({
      name: z.string().max(200),
      description: z.string().max(1000),
      url: z.string().max(5000),
      response: z.string().max(20),
    }),
  )
  .handler(
    async ({
      data,
    }): Promise<
      { ok: true; command: CustomCommand; secret: string } | { ok: false; error: string }
    > => {
      const { runtime, db, user, role } = await requireAdmin();
      requireWithin(runtime, "token", user.id);
      const allowed = mayManageCommands(role);
      if (!allowed.ok) return allowed;
      const checked = checkCommandInput(data);
      if (!checked.ok) return checked;
      const made = await storeOf(db).create({ ...checked.value, actorId: user.id });
      if (made === "taken") {
        return { ok: false, error: `/${checked.value.name} exists already.` };
      }
      runtime.log.info("slash command created", { command: made.command.name, by: user.id });
      return { ok: true, ...made };
    },
  );

export const deleteCommandFn = createServerFn({ method: "POST" })
  .validator(z.object({ id: z.string().min(1).max(64) }))
  .handler(async ({ data }): Promise<Answer> => {
    const { runtime, db, user, role } = await requireAdmin();
    requireWithin(runtime, "token", user.id);
    const allowed = mayManageCommands(role);
    if (!allowed.ok) return allowed;
    const done = await storeOf(db).remove(data.id, user.id);
    return done ? { ok: true } : { ok: false, error: "That command was deleted already." };
  });

/** Runs `/name args` in a room; `text` is the answer for this user alone (null: none). */
export const runCommandFn = createServerFn({ method: "POST" })
  .validator(
    z.object({
      roomId: z.string().min(1).max(64),
      name: z.string().min(1).max(64),
      args: z.string().max(20_000),
    }),
  )
  .handler(async ({ data }): Promise<RunOutcome> => {
    const { runtime, user } = await requireUser();
    if (!runtime.db) return { ok: false, error: "Slash commands need a database." };
    return runCustomCommand({ db: runtime.db, realtime: await getRealtime() }, user, {
      ...data,
      name: data.name.toLowerCase(),
    });
  });
