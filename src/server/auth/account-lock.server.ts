import { type Kysely, sql } from "kysely";

/** Wrong passwords in a row (per email) before the email is refused for a while. */
export const FAILURES_BEFORE_LOCK = 5;
/** The longest lock, however many failures. */
export const MAX_LOCK_MS = 60 * 60 * 1000;
/** Failures older than this are forgotten. */
const FAILURE_MEMORY_MS = 24 * 60 * 60 * 1000;

/** How long an email stays locked after `failures` wrong passwords in a row (0: not locked). */
export function lockDuration(failures: number, firstLockMs: number): number {
  if (failures < FAILURES_BEFORE_LOCK) return 0;
  const doublings = Math.min(failures - FAILURES_BEFORE_LOCK, 30);
  return Math.min(firstLockMs * 2 ** doublings, MAX_LOCK_MS);
}

/** The key of an email: better-auth compares emails lowercased. */
export function lockKey(email: string): string {
  return email.toLowerCase();
}

/**
 * Failed sign-ins per email, kept in the database (table auth_failure) so a
 * lock holds on every instance sharing it. Unknown emails count the same as
 * known ones, so a lock says nothing about whether an account exists.
 */
export function createAccountLocks(db: Kysely<unknown>, firstLockMs: number, now = Date.now) {
  let lastPrune = 0;
  // Attempts for one email run one after another on this instance, so a
  // burst of parallel guesses cannot all pass the check before the first
  // failure is written.
  const queues = new Map<string, Promise<unknown>>();

  return {
    /** Runs `attempt` after the previous attempt for this email (on this instance) settled. */
    async serialize<T>(email: string, attempt: () => Promise<T>): Promise<T> {
      const key = lockKey(email);
      const previous = queues.get(key) ?? Promise.resolve();
      const run = previous.then(attempt, attempt);
      const settled = run.catch(() => {});
      queues.set(key, settled);
      try {
        return await run;
      } finally {
        if (queues.get(key) === settled) queues.delete(key);
      }
    },

    /** Milliseconds until the email may try again, or 0. */
    async lockedFor(email: string): Promise<number> {
      const { rows } = await sql<{ locked_until: number | string }>`
        select locked_until from auth_failure where email = ${lockKey(email)}`.execute(db);
      const until = Number(rows[0]?.locked_until ?? 0);
      return Math.max(0, until - now());
    },

    /** Counts a wrong password; returns the lock it earned (ms, 0 for none). */
    async failed(email: string): Promise<number> {
      const at = now();
      const { rows } = await sql<{ failures: number | string }>`
        insert into auth_failure (email, failures, locked_until, last_failure_at)
        values (${lockKey(email)}, 1, 0, ${at})
        on conflict (email) do update set
          failures = case when auth_failure.last_failure_at < ${at - FAILURE_MEMORY_MS}
            then 1 else auth_failure.failures + 1 end,
          last_failure_at = ${at}
        returning failures`.execute(db);
      const lock = lockDuration(Number(rows[0]?.failures ?? 1), firstLockMs);
      if (lock > 0) {
        await sql`update auth_failure set locked_until = ${at + lock}
          where email = ${lockKey(email)}`.execute(db);
      }
      if (at - lastPrune > FAILURE_MEMORY_MS / 24) {
        lastPrune = at;
        await sql`delete from auth_failure
          where last_failure_at < ${at - FAILURE_MEMORY_MS} and locked_until < ${at}`.execute(db);
      }
      return lock;
    },

    /** A right password: the count starts over. */
    async succeeded(email: string): Promise<void> {
      await sql`delete from auth_failure where email = ${lockKey(email)}`.execute(db);
    },
  };
}

export type AccountLocks = ReturnType<typeof createAccountLocks>;
