import { describe, expect, it } from "vitest";
import { takeEditRequest } from "../../src/client/hooks/useEditLast";

describe("takeEditRequest: an Up-arrow ask opens one editor once", () => {
  it("is new the first time only, so a message mounted again does not reopen its editor", () => {
    expect(takeEditRequest(1001)).toBe(true);
    expect(takeEditRequest(1001)).toBe(false);
    expect(takeEditRequest(1002)).toBe(true);
  });
});
