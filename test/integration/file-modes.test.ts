import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp } from "../helpers/clients";
import { type RunningServer, startServer } from "../helpers/server";

// F-17: the data folder and database files are private to the owner.
describe("file modes of a fresh data folder", () => {
  let server: RunningServer;
  const dataDir = join(mkdtempSync(join(tmpdir(), "parley-modes-")), "data");
  beforeAll(async () => {
    server = await startServer({ dataDir });
  });
  afterAll(() => server?.stop());

  it("creates the folder 0700 and the database, WAL and SHM 0600", async () => {
    // A write makes sure the WAL and SHM exist.
    const { cookie } = await signUp(server.url);
    (await connect(server.url, cookie)).close();
    const mode = (name: string) => (statSync(join(dataDir, name)).mode & 0o777).toString(8);
    expect(mode("")).toBe("700");
    for (const name of ["parley.db", "parley.db-wal", "parley.db-shm"]) {
      expect([name, mode(name)]).toEqual([name, "600"]);
    }
  });
});
