// A hand-written SVG: deliveries/s against p99 latency for every fan-out
// step of every system, both axes logarithmic, with the 100 ms SLO line.
import type { FanoutResult } from "../scenarios/fanout.ts";
import { SLO } from "./config.ts";

const COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
const W = 720;
const H = 420;
const PAD = { left: 70, right: 150, top: 30, bottom: 50 };

/** Log-axis ticks at 1, 2 and 5 of each decade from below `lo` to above `hi`. */
const decades = (lo: number, hi: number) => {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) out.push(m * 10 ** e);
  }
  const first = out.findLastIndex((t) => t <= lo);
  const last = out.findIndex((t) => t >= hi);
  return out.slice(Math.max(0, first), last < 0 ? undefined : last + 1);
};
const label = (v: number) => (v >= 1000 ? `${v / 1000}k` : String(v));
const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export function chart(fanout: Record<string, FanoutResult>): string {
  const series = Object.entries(fanout).map(([name, f]) => ({
    name,
    points: f.steps
      .filter((s) => s.deliveriesPerSec > 0 && Number.isFinite(s.p99))
      .map((s) => ({ x: s.deliveriesPerSec, y: Math.max(s.p99, 0.1), ok: s.meetsSlo })),
  }));
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).concat(SLO.p99Ms);
  if (xs.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="60"><text x="10" y="30">no fan-out data</text></svg>`;
  const xTicks = decades(Math.min(...xs), Math.max(...xs));
  const yTicks = decades(Math.min(...ys), Math.max(...ys));
  const [x0, x1] = [Math.log10(xTicks[0] ?? 1), Math.log10(xTicks.at(-1) ?? 10)];
  const [y0, y1] = [Math.log10(yTicks[0] ?? 1), Math.log10(yTicks.at(-1) ?? 10)];
  const px = (x: number) =>
    PAD.left + ((Math.log10(x) - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const py = (y: number) =>
    H - PAD.bottom - ((Math.log10(y) - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${PAD.left}" y="18" font-size="14">Fan-out: deliveries/s vs p99 latency (each point a step; hollow = missed the SLO)</text>`,
  ];
  for (const t of xTicks) {
    out.push(
      `<line x1="${px(t)}" y1="${PAD.top}" x2="${px(t)}" y2="${H - PAD.bottom}" stroke="#ddd"/>`,
      `<text x="${px(t)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  for (const t of yTicks) {
    out.push(
      `<line x1="${PAD.left}" y1="${py(t)}" x2="${W - PAD.right}" y2="${py(t)}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 6}" y="${py(t) + 4}" text-anchor="end">${label(t)}</text>`,
    );
  }
  out.push(
    `<line x1="${PAD.left}" y1="${py(SLO.p99Ms)}" x2="${W - PAD.right}" y2="${py(SLO.p99Ms)}" stroke="#999" stroke-dasharray="6 4"/>`,
    `<text x="${PAD.left + 4}" y="${py(SLO.p99Ms) - 4}" fill="#666">SLO: p99 ${SLO.p99Ms} ms</text>`,
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 12}" text-anchor="middle">deliveries per second (log)</text>`,
    `<text transform="translate(18 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle">p99 latency, ms (log)</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const path = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of s.points) {
      out.push(
        `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="4" fill="${p.ok ? color : "white"}" stroke="${color}" stroke-width="2"/>`,
      );
    }
    const ly = PAD.top + 10 + i * 20;
    out.push(
      `<line x1="${W - PAD.right + 14}" y1="${ly}" x2="${W - PAD.right + 34}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${W - PAD.right + 40}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}
