// The floor for the upload scenario: a bare node:http server that streams
// each POST body into a temporary file and answers 201 once it is on disk.
// No auth, no sniffing, no database: what any streamed upload must cost.
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";

const dir = mkdtempSync(join(tmpdir(), "upload-floor-"));
const server = createServer(async (req, res) => {
  if (req.method !== "POST") {
    res.writeHead(200).end("ok");
    return;
  }
  const path = join(dir, randomUUID());
  try {
    await pipeline(req, createWriteStream(path));
    res.writeHead(201, { "content-type": "application/json" }).end('{"ok":true}');
  } catch {
    res.writeHead(500).end();
  } finally {
    rmSync(path, { force: true });
  }
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
