// Latency histograms that merge across load-generator processes. Keeping
// every sample would mean millions of numbers per step over IPC; log-spaced
// buckets keep percentiles within ~1.6% at a fixed, tiny size.

/** Buckets per doubling: 2^(1/44) ≈ 1.6% wide. */
const PER_OCTAVE = 44;
/** Latencies are bucketed in microseconds; below 1 µs counts as 1 µs. */
const bucketOf = (ms: number) =>
  Math.max(0, Math.floor(Math.log2(Math.max(ms * 1000, 1)) * PER_OCTAVE));
const lowerMs = (bucket: number) => 2 ** (bucket / PER_OCTAVE) / 1000;

export type HistogramData = { counts: Record<number, number>; n: number; max: number; sum: number };

export class Histogram {
  counts = new Map<number, number>();
  n = 0;
  max = 0;
  sum = 0;

  record(ms: number): void {
    const bucket = bucketOf(ms);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.n++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** Adds another histogram's (possibly serialised) counts into this one. */
  merge(other: HistogramData | Histogram): this {
    const entries =
      other instanceof Histogram ? other.counts.entries() : Object.entries(other.counts);
    for (const [bucket, count] of entries) {
      const key = Number(bucket);
      this.counts.set(key, (this.counts.get(key) ?? 0) + count);
    }
    this.n += other.n;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** The q-th quantile (0..1) in ms: the upper edge of its bucket, capped at the max. */
  quantile(q: number): number {
    if (this.n === 0) return Number.NaN;
    const rank = Math.ceil(q * this.n);
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return Math.min(lowerMs(bucket + 1), this.max);
    }
    return this.max;
  }

  toJSON(): HistogramData {
    return { counts: Object.fromEntries(this.counts), n: this.n, max: this.max, sum: this.sum };
  }

  static from(data: HistogramData): Histogram {
    return new Histogram().merge(data);
  }
}

export type LatencySummary = { n: number; p50: number; p99: number; max: number };

export function summarise(histogram: Histogram): LatencySummary {
  return {
    n: histogram.n,
    p50: histogram.quantile(0.5),
    p99: histogram.quantile(0.99),
    max: histogram.max,
  };
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Wall-clock milliseconds with sub-ms precision, comparable across processes. */
export const nowMs = () => performance.timeOrigin + performance.now();
