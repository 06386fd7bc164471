/** How often the probe's timer is meant to run. */
const PROBE_MS = 50;

/**
 * How far behind the event loop is, read at any moment: the time since a
 * timer meant to run every PROBE_MS last ran, past PROBE_MS. Read live
 * rather than sampled, because a loop busy with a burst of upgrades does
 * not run the timer that would sample it: an upgrade handled 2 s into such
 * a burst sees 2 s. On SQLite an authenticated connect is one macrotask
 * (node:sqlite answers synchronously), so a storm shows as this lag, not
 * as connects pending at once (admission.enterConnect uses both).
 */
export function createLoopLag(now: () => number = () => performance.now()) {
  let ranAt = now();
  const timer = setInterval(() => {
    ranAt = now();
  }, PROBE_MS);
  timer.unref();
  return {
    behindMs(): number {
      return Math.max(0, now() - ranAt - PROBE_MS);
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
