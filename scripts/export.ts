// `npm run export -- <file.jsonl>`: the whole server (the store DATABASE_URL
// and PARLEY_DATA_DIR name, as the server opens it) in Parley's JSONL
// format (docs/export-format.md), which `npm run import -- parley` reads.
// Safe while the server runs: it only reads.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { exportLines } from "../src/server/portability/export.server.ts";
import { openPortableStore } from "../src/server/portability/open-store.server.ts";

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error("usage: npm run export -- <file.jsonl>");
  process.exit(2);
}
const store = await openPortableStore().catch((error: unknown) => {
  console.error(`npm run export: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
const out = createWriteStream(file, { flags: "wx", mode: 0o600 });
try {
  await once(out, "open");
  for await (const line of exportLines(store.db, { kind: "server" })) {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, "drain");
    if (line.type === "end") {
      const { users, rooms, members, messages } = line.counts;
      console.log(
        `exported ${users} users, ${rooms} rooms, ${members} members, ${messages} messages to ${file}`,
      );
    }
  }
  out.end();
  await once(out, "finish");
} catch (error) {
  // Never overwrite: an earlier export may be the only copy someone has.
  const exists = (error as NodeJS.ErrnoException).code === "EEXIST";
  console.error(
    `npm run export: ${exists ? `${file} exists already: choose another name` : error instanceof Error ? error.message : error}`,
  );
  process.exitCode = 1;
} finally {
  await store.close();
}
