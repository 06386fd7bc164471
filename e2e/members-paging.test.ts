import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRoom, openDb } from "../test/helpers/integration-extra";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import { chromiumAvailable, enter, membersPanel, openAs, useBrowserSuite } from "./browser";

const available = chromiumAvailable();

/** Adds `count` users (rows only: they never sign in) to the room, named after "Ann". */
function seedMembers(dataDir: string, roomId: string, count: number) {
  const db = openDb(dataDir);
  const now = new Date().toISOString();
  try {
    const user = db.prepare(
      'INSERT INTO "user" (id, name, email, emailVerified, image, createdAt, updatedAt, handle) VALUES (?, ?, ?, 0, NULL, ?, ?, ?)',
    );
    const member = db.prepare(
      "INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)",
    );
    db.exec("BEGIN");
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      const tag = `crowd${String(i).padStart(5, "0")}`;
      user.run(
        id,
        `Crowd ${String(i).padStart(5, "0")}`,
        `${tag}-${id}@example.test`,
        now,
        now,
        `${tag}${id.slice(0, 6)}`,
      );
      member.run(roomId, id, Date.now());
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

// Issue 16: a room over 1,000 members lists its first page of members and
// the count; "Show more members" asks for the next page.
describe.skipIf(!available)("members panel of a large room", () => {
  const suite = useBrowserSuite();

  it("shows the count and loads the next page with the keyboard", async () => {
    const room = createRoom(suite.server.dataDir);
    seedMembers(suite.server.dataDir, room.id, 1_050);
    const { page } = await openAs(suite, "Ann");
    await enter(page, `/r/${room.slug}`);
    const panel = membersPanel(page);
    await panel.getByText("1,051 members").waitFor({ timeout: 10_000 });
    const entries = panel.getByRole("listitem");
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(100);
    const more = panel.getByRole("button", { name: "Show more members" });
    await more.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(200);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await more.scrollIntoViewIfNeeded();
    await screenshotLightAndDark(page, "members-paging");
  });
});
