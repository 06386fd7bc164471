import { describe, expect, it } from "vitest";
import { progress } from "../../scripts/lib/progress";

/** A stand-in for process.stderr that keeps what is written. */
function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (text: string) => chunks.push(text) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, chunks };
}

describe("the import's progress", () => {
  it("redraws a bar in place on a terminal, then ends the line", () => {
    const { stream, chunks } = sink(true);
    const bar = progress(stream);
    bar.step(0, 2, "#general");
    bar.step(1, 2, "#ops");
    bar.step(2, 2, "");
    bar.end();
    expect(chunks[0]).toMatch(/^\r\[ {30}\] {3}0% #general/);
    expect(chunks[1]).toMatch(/^\r\[#{15} {15}\] {2}50% #ops/);
    expect(chunks[2]).toMatch(/^\r\[#{30}\] 100%/);
    expect(chunks.at(-1)).toBe("\n");
  });

  it("writes plain lines elsewhere", () => {
    const { stream, chunks } = sink(false);
    const bar = progress(stream);
    bar.step(0, 2, "#general");
    bar.step(1, 2, "#ops");
    bar.step(2, 2, "");
    bar.end();
    expect(chunks).toEqual(["import: 1/2 #general\n", "import: 2/2 #ops\n"]);
  });
});
