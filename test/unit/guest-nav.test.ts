import { describe, expect, it } from "vitest";
import { offersRoomEntryPoints } from "../../src/client/guest-nav";

describe("the Rooms nav's entry points by server role", () => {
  it("leaves out Browse rooms and New room for guests only", () => {
    expect(offersRoomEntryPoints("guest")).toBe(false);
    for (const role of ["owner", "admin", "member"] as const) {
      expect(offersRoomEntryPoints(role)).toBe(true);
    }
  });
  it("shows them while the role is not known yet", () => {
    expect(offersRoomEntryPoints(null)).toBe(true);
    expect(offersRoomEntryPoints(undefined)).toBe(true);
  });
});
