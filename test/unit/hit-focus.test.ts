import { describe, expect, it } from "vitest";
import {
  composerFocusPending,
  focusComposerOnArrival,
  takeComposerFocus,
} from "../../src/client/arrival-focus";

describe("a linked message and the composer's arrival focus", () => {
  it("sees a fresh ask without taking it, so the composer still gets it", () => {
    focusComposerOnArrival(1_000);
    expect(composerFocusPending(1_500)).toBe(true);
    expect(composerFocusPending(1_600)).toBe(true);
    expect(takeComposerFocus(2_000)).toBe(true);
    // Taken: a later search hit takes focus itself.
    expect(composerFocusPending(2_001)).toBe(false);
  });

  it("ignores an ask that expired", () => {
    focusComposerOnArrival(1_000);
    expect(composerFocusPending(1_000 + 15_001)).toBe(false);
    takeComposerFocus(1_000 + 15_001);
  });
});
