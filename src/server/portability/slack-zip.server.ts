import { unzipSync } from "fflate";
import { z } from "zod";
import { isSlackTs } from "../../core/slack-markup";
import { ImportError } from "./parley-import.server";

// What Parley reads of a Slack export; every other field is ignored.
const slackUser = z.object({
  id: z.string().min(1),
  name: z.string(),
  real_name: z.string().optional(),
  deleted: z.boolean().optional(),
  is_bot: z.boolean().optional(),
  profile: z
    .object({
      email: z.string().optional(),
      real_name: z.string().optional(),
      display_name: z.string().optional(),
    })
    .optional(),
});

const slackChannel = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  created: z.number().optional(),
  creator: z.string().optional(),
  is_archived: z.boolean().optional(),
  is_general: z.boolean().optional(),
  members: z.array(z.string()).optional(),
  topic: z.object({ value: z.string() }).optional(),
  purpose: z.object({ value: z.string() }).optional(),
});

const slackMessage = z.object({
  type: z.string(),
  subtype: z.string().optional(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().refine(isSlackTs, "not a Slack ts"),
  thread_ts: z.string().refine(isSlackTs, "not a Slack ts").optional(),
  edited: z.object({ ts: z.string().refine(isSlackTs, "not a Slack ts") }).optional(),
  reactions: z
    .array(z.object({ name: z.string(), users: z.array(z.string()).optional() }))
    .optional(),
  files: z
    .array(
      z.object({
        name: z.string().optional(),
        title: z.string().optional(),
        url_private: z.string().optional(),
        permalink: z.string().optional(),
      }),
    )
    .optional(),
});

export type SlackUser = z.infer<typeof slackUser>;
export type SlackChannel = z.infer<typeof slackChannel>;
export type SlackMessage = z.infer<typeof slackMessage>;

/** A Slack export read and checked whole: nothing is written before all of it parses. */
export type SlackExport = {
  users: SlackUser[];
  channels: SlackChannel[];
  /** Per channel id: its messages from every day file, in file order. */
  messages: Map<string, SlackMessage[]>;
};

/**
 * Reads a Slack export zip: users.json, channels.json and a folder per
 * channel of per-day files (`general/2024-01-31.json`). A zip holding one
 * top folder around them (as re-zipping an unpacked export makes) is read
 * the same. Every error names the file it is about.
 */
export function readSlackZip(bytes: Uint8Array, path: string): SlackExport {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ImportError(`${path}: not a zip file (${why})`);
  }
  const names = Object.keys(entries);
  const prefix = names.includes("users.json")
    ? ""
    : (names.find((n) => /^[^/]+\/users\.json$/.test(n))?.replace(/users\.json$/, "") ?? "");
  const read = <T>(name: string, schema: z.ZodType<T>): T => {
    const data = entries[prefix + name];
    if (!data) throw new ImportError(`${path}: ${name} missing: not a Slack export`);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data));
    } catch {
      throw new ImportError(`${path}: ${name}: not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      throw new ImportError(`${path}: ${name}: ${issue?.message ?? "invalid"}${where}`);
    }
    return parsed.data;
  };
  const users = read("users.json", z.array(slackUser));
  const channels = read("channels.json", z.array(slackChannel));
  const messages = new Map<string, SlackMessage[]>();
  for (const channel of channels) {
    const folder = `${prefix}${channel.name}/`;
    const days = names
      .filter(
        (n) => n.startsWith(folder) && /^\d{4}-\d{2}-\d{2}\.json$/.test(n.slice(folder.length)),
      )
      .sort();
    const list: SlackMessage[] = [];
    for (const day of days) {
      // Day files are arrays of events; only those with a ts are kept (all messages have one).
      const events = read(day.slice(prefix.length), z.array(z.record(z.string(), z.unknown())));
      for (const [index, event] of events.entries()) {
        if (event.type !== "message") continue;
        const parsed = slackMessage.safeParse(event);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new ImportError(
            `${path}: ${day.slice(prefix.length)}: message ${index + 1}: ${issue?.message ?? "invalid"}${issue?.path.length ? ` at ${issue.path.join(".")}` : ""}`,
          );
        }
        list.push(parsed.data);
      }
    }
    messages.set(channel.id, list);
  }
  return { users, channels, messages };
}
