// `npm run import -- parley <file.jsonl>`: reads back `npm run export`.
// `npm run import -- slack <export.zip>`: a standard Slack export.
// Both write into the store DATABASE_URL and PARLEY_DATA_DIR name (the
// server's); a re-run imports nothing twice. Progress goes to stderr, the
// summary of counts to stdout. Stop the server first when it uses SQLite.
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { openPortableStore } from "../src/server/portability/open-store.server.ts";
import {
  ImportError,
  importParley,
  parseExport,
} from "../src/server/portability/parley-import.server.ts";
import { importSlack, readSlackZip } from "../src/server/portability/slack-import.server.ts";
import { progress } from "./lib/progress.ts";

const USAGE = "usage: npm run import -- parley <file.jsonl> | slack <export.zip>";
const [kind, file, ...rest] = process.argv.slice(2);
const fail = (message: string, code = 1): never => {
  console.error(`npm run import: ${message}`);
  process.exit(code);
};
if ((kind !== "parley" && kind !== "slack") || !file || rest.length > 0) fail(USAGE, 2);
if (!existsSync(file as string)) fail(`${file}: no such file`);

const bar = progress();
const onStep = (done: number, total: number, label: string) => bar.step(done, total, label);

async function run(path: string) {
  // Parse and check the whole input before opening the store: bad input writes nothing.
  if (kind === "parley") {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    const parsed = await parseExport(lines, path);
    const store = await openPortableStore();
    try {
      const summary = await importParley(store.db, store.dialect, parsed, onStep);
      bar.end();
      const { imported: i, skipped: s } = summary;
      console.log(
        `imported ${i.users} users, ${i.rooms} rooms, ${i.members} members, ${i.messages} messages, ${i.reactions} reactions, ${i.files} files`,
      );
      console.log(`already present: ${s.users} users, ${s.rooms} rooms, ${s.messages} messages`);
    } finally {
      await store.close();
    }
    return;
  }
  const slack = readSlackZip(readFileSync(path), path);
  const store = await openPortableStore();
  try {
    const summary = await importSlack(store.db, store.dialect, slack, onStep);
    bar.end();
    const { imported: i, skipped: s } = summary;
    console.log(
      `imported ${i.users} users (${i.matched} matched by email, ${i.created} created deactivated), ${i.rooms} channels, ${i.members} members, ${i.messages} messages, ${i.replies} thread replies, ${i.reactions} reactions, ${i.files} file links`,
    );
    console.log(
      `already imported: ${s.messages} messages; not imported: ${s.unsupported} messages of other kinds, ${s.unknownEmoji} reactions with custom emoji`,
    );
  } finally {
    await store.close();
  }
}

await run(file as string).catch((error: unknown) => {
  bar.end();
  if (error instanceof ImportError) fail(error.message);
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
});
