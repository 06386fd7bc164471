// Summarises a V8 CPU profile (.cpuprofile): self time per function and per
// file, and the total (inclusive) time of the heaviest call paths' frames,
// as markdown tables.

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};

/** Where a frame's code lives: the bundle's file name or Node's module. */
const fileOf = (url: string) => {
  if (!url) return "(native)";
  const path = decodeURIComponent(url.replace(/^file:\/\//, ""));
  const at = path.indexOf("/.output/server/");
  if (at >= 0) return path.slice(at + "/.output/server/".length);
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) return path.slice(modules + "/node_modules/".length);
  return path.startsWith("node:") ? path : (path.split("/").at(-1) ?? path);
};

const nameOf = (frame: CallFrame) =>
  `${frame.functionName || "(anonymous)"} ${frame.url ? `${fileOf(frame.url)}:${frame.lineNumber + 1}` : ""}`.trim();

export function summariseProfile(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === "(idle)")
    .reduce((sum, [, us]) => sum + us, 0);
  const busy = total - idle;

  // Inclusive time: a node's self time plus its descendants'.
  const inclusive = new Map<number, number>();
  const walk = (id: number): number => {
    const node = byId.get(id);
    const sum =
      (self.get(id) ?? 0) + (node?.children ?? []).reduce((acc, child) => acc + walk(child), 0);
    inclusive.set(id, sum);
    return sum;
  };
  const root = profile.nodes[0];
  if (root) walk(root.id);

  const group = (key: (frame: CallFrame) => string, values: Map<number, number>) => {
    const sums = new Map<string, number>();
    for (const [id, us] of values) {
      const frame = byId.get(id)?.callFrame;
      if (!frame || frame.functionName === "(idle)" || frame.functionName === "(root)") continue;
      sums.set(key(frame), (sums.get(key(frame)) ?? 0) + us);
    }
    return [...sums.entries()].sort((a, b) => b[1] - a[1]);
  };
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1)}%`;
  const rows = (entries: [string, number][]) =>
    entries
      .slice(0, top)
      .map(
        ([name, us]) =>
          `| ${name.replace(/\|/g, "\\|")} | ${(us / 1000).toFixed(0)} | ${pct(us)} |`,
      );
  // A function recursing or called on several paths would count twice in an
  // inclusive sum by name; the largest single node per name is shown instead.
  const inclusiveByName = new Map<string, number>();
  for (const [id, us] of inclusive) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === "(root)" || frame.functionName === "(idle)") continue;
    inclusiveByName.set(nameOf(frame), Math.max(inclusiveByName.get(nameOf(frame)) ?? 0, us));
  }
  const head = "| | ms | of busy time |\n| --- | --- | --- |";
  return [
    `Sampled ${(total / 1000).toFixed(0)} ms, of which busy (not idle) ${(busy / 1000).toFixed(0)} ms.`,
    "",
    "Self time by file (bundle chunk or Node module):",
    "",
    head.replace("| |", "| file |"),
    ...rows(group((f) => fileOf(f.url), self)).slice(0, 12),
    "",
    `Top ${top} functions by self time:`,
    "",
    head.replace("| |", "| function |"),
    ...rows(group(nameOf, self)),
    "",
    `Top ${top} frames by total (inclusive) time, largest single call path:`,
    "",
    head.replace("| |", "| function |"),
    ...rows([...inclusiveByName.entries()].sort((a, b) => b[1] - a[1])),
  ].join("\n");
}
