import { describe, expect, it } from "vitest";
import { createRoom, seedMembers } from "../test/helpers/integration-extra";
import { screenshotLightAndDark, seriousAxeViolations } from "./a11y";
import { chromiumAvailable, enter, membersPanel, openAs, useBrowserSuite } from "./browser";

const available = chromiumAvailable();

// Issue 16: a room over 1,000 members lists its first page of members and
// the count; "Show more members" asks for the next page.
describe.skipIf(!available)("members panel of a large room", () => {
  const suite = useBrowserSuite();

  it("shows the count and loads the next page with the keyboard", async () => {
    const room = createRoom(suite.server.dataDir);
    // Named after "Ann", in order: "Crowd 00000", "Crowd 00001", …
    seedMembers(suite.server.dataDir, room.id, 1_050, (i, id) => {
      const n = String(i).padStart(5, "0");
      return { name: `Crowd ${n}`, handle: `crowd${n}${id.slice(0, 6)}` };
    });
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
