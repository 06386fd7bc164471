/**
 * Graceful shutdown's first step, shared by the server entry (which starts
 * it on SIGTERM) and the socket layer (which finishes in-flight frames).
 * Kept on globalThis: Nitro bundles routes and the entry apart, and both
 * must see one state.
 */
type DrainState = { draining: boolean; waiters: (() => Promise<void>)[] };

const key = Symbol.for("parley.drain");
const state = (): DrainState => {
  const holder = globalThis as { [key]?: DrainState };
  holder[key] ??= { draining: false, waiters: [] };
  return holder[key];
};

/** True once shutdown began: refuse new upgrades, report not ready. */
export function isDraining(): boolean {
  return state().draining;
}

/** Registers work that must finish before sockets close (in-flight commits and acks). */
export function onDrain(waiter: () => Promise<void>): void {
  state().waiters.push(waiter);
}

/** Starts draining and waits for the registered work, at most `timeoutMs`. */
export async function drain(timeoutMs: number): Promise<void> {
  const current = state();
  current.draining = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.allSettled(current.waiters.map((wait) => wait())), deadline]);
  clearTimeout(timer);
}
