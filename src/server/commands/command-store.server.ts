import { randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { CommandInput, CommandResponse } from "../../core/custom-commands";
import { writeAudit } from "../storage/audit.server";
import type { Database } from "../storage/schema.server";

/**
 * Custom slash commands (issue 15) as stored: one slash_command row each
 * (migration 0020), its name unique. The secret is kept in the clear
 * because it is an HMAC key Parley signs with (as an outgoing webhook's);
 * it leaves the server once, in the creator's answer. Every change commits
 * with its audit row.
 */
export type CustomCommand = {
  id: string;
  name: string;
  description: string;
  url: string;
  response: CommandResponse;
  createdAt: number;
};

/** A command as the runner needs it (with its secret). */
export type RunnableCommand = CustomCommand & { secret: string };

/** A new secret: 32 random bytes, base64url (the service's HMAC key). */
const newCommandSecret = () => `cmdsec_${randomBytes(32).toString("base64url")}`;

type Row = {
  id: string;
  name: string;
  description: string;
  url: string;
  response: string;
  created_at: number;
  secret: string;
};

const toCommand = (row: Row): RunnableCommand => ({
  id: row.id,
  name: row.name,
  description: row.description,
  url: row.url,
  response: row.response === "room" ? "room" : "ephemeral",
  createdAt: Number(row.created_at),
  secret: row.secret,
});

const columns = ["id", "name", "description", "url", "response", "created_at", "secret"] as const;

/** Without the secret: what lists show. */
const shown = ({ secret: _secret, ...command }: RunnableCommand): CustomCommand => command;

export function createCommandStore(db: Kysely<Database>, now: () => number = Date.now) {
  return {
    /**
     * Registers the command and its audit row in one transaction; answers
     * it and its secret, or "taken" when the name is (the unique index
     * decides, so two admins racing for one name cannot both win).
     */
    async create(
      input: CommandInput & { actorId: string },
    ): Promise<{ command: CustomCommand; secret: string } | "taken"> {
      const id = randomUUID();
      const secret = newCommandSecret();
      const at = now();
      const taken = await db
        .selectFrom("slash_command")
        .select("id")
        .where("name", "=", input.name)
        .executeTakeFirst();
      if (taken) return "taken";
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto("slash_command")
            .values({
              id,
              name: input.name,
              description: input.description,
              url: input.url,
              secret,
              response: input.response,
              created_by: input.actorId,
              created_at: at,
            })
            .execute();
          await writeAudit(
            trx,
            {
              actorId: input.actorId,
              action: "command.create",
              details: {
                commandId: id,
                name: input.name,
                url: input.url,
                response: input.response,
              },
            },
            at,
          );
        });
      } catch (error) {
        if (/unique|duplicate/i.test(String(error))) return "taken";
        throw error;
      }
      const command: CustomCommand = {
        id,
        name: input.name,
        description: input.description,
        url: input.url,
        response: input.response,
        createdAt: at,
      };
      return { command, secret };
    },

    /** Every command, by name (no secrets). */
    async list(): Promise<CustomCommand[]> {
      const rows = await db.selectFrom("slash_command").select(columns).orderBy("name").execute();
      return rows.map((row) => shown(toCommand(row)));
    },

    /** The command named `name` (lowercase, no slash), with its secret. */
    async findByName(name: string): Promise<RunnableCommand | undefined> {
      const row = await db
        .selectFrom("slash_command")
        .select(columns)
        .where("name", "=", name)
        .executeTakeFirst();
      return row ? toCommand(row) : undefined;
    },

    /** Deletes it with its audit row; false when it was gone already. */
    async remove(id: string, actorId: string): Promise<boolean> {
      const at = now();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .deleteFrom("slash_command")
          .where("id", "=", id)
          .returning(["name"])
          .executeTakeFirst();
        if (!row) return false;
        await writeAudit(
          trx,
          { actorId, action: "command.delete", details: { commandId: id, name: row.name } },
          at,
        );
        return true;
      });
    },
  };
}

export type CommandStore = ReturnType<typeof createCommandStore>;
