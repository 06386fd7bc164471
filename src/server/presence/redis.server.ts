import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { PresenceLeases } from "../../ports";

/** Key prefix of one deployment's presence (every instance sharing the Redis uses it). */
export const DEFAULT_PRESENCE_PREFIX = "parley:presence:";

// Each script runs atomically in Redis, so two instances releasing or
// sweeping the same user at once cannot both (or neither) see the last lease
// go. Keys: <prefix>u:<user> is a sorted set of instance -> lease expiry;
// <prefix>online maps each user to their latest expiry, so "who is online"
// is one ZMSCORE and lapsed users are a range query.

/** ARGV: prefix, instance, expiresAt, user... */
const HOLD = `
local prefix, instance, expires = ARGV[1], ARGV[2], ARGV[3]
for i = 4, #ARGV do
  redis.call('ZADD', prefix .. 'u:' .. ARGV[i], 'GT', expires, instance)
  redis.call('ZADD', prefix .. 'online', 'GT', expires, ARGV[i])
end
return 1`;

/** Drops lapsed leases of `user`; true (1) when none is left, else refreshes its latest expiry. */
const SETTLE = `
local function settle(prefix, user, now)
  local key = prefix .. 'u:' .. user
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if #top == 0 then
    redis.call('ZREM', prefix .. 'online', user)
    return true
  end
  redis.call('ZADD', prefix .. 'online', top[2], user)
  return false
end`;

/** ARGV: prefix, instance, now, user. */
const RELEASE = `${SETTLE}
redis.call('ZREM', ARGV[1] .. 'u:' .. ARGV[4], ARGV[2])
if settle(ARGV[1], ARGV[4], ARGV[3]) then return 1 end
return 0`;

/** ARGV: prefix, now, limit. */
const SWEEP = `${SETTLE}
local due = redis.call('ZRANGEBYSCORE', ARGV[1] .. 'online', '-inf', ARGV[2], 'LIMIT', 0, ARGV[3])
local lapsed = {}
for _, user in ipairs(due) do
  if settle(ARGV[1], user, ARGV[2]) then table.insert(lapsed, user) end
end
return lapsed`;

/** Users per script call: renewing thousands stays a few round trips, none of them long. */
const BATCH = 500;

export type RedisPresenceOptions = {
  url: string;
  prefix?: string;
  /** Connection trouble, once per outage. */
  onError?: (error: unknown) => void;
};

/** Presence leases in Redis, shared by every instance of a deployment. */
export function createRedisPresence(options: RedisPresenceOptions): PresenceLeases {
  const prefix = options.prefix ?? DEFAULT_PRESENCE_PREFIX;
  const instance = randomUUID();
  const redis = new Redis(options.url, {
    connectionName: `parley-presence-${instance}`,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    // Presence is advisory: while Redis is away, calls fail fast and the
    // caller falls back to what this instance knows.
    maxRetriesPerRequest: 1,
  });
  let reported = false;
  redis.on("ready", () => {
    reported = false;
  });
  redis.on("error", (error) => {
    if (reported) return;
    reported = true;
    options.onError?.(error);
  });

  const hold = async (userIds: readonly string[], expiresAt: number) => {
    for (let i = 0; i < userIds.length; i += BATCH) {
      const batch = userIds.slice(i, i + BATCH);
      await redis.eval(HOLD, 0, prefix, instance, String(expiresAt), ...batch);
    }
  };

  return {
    hold: (userId, expiresAt) => hold([userId], expiresAt),
    renew: hold,
    async release(userId, now) {
      return (await redis.eval(RELEASE, 0, prefix, instance, String(now), userId)) === 1;
    },
    async onlineAmong(userIds, now) {
      const online = new Set<string>();
      for (let i = 0; i < userIds.length; i += BATCH) {
        const batch = userIds.slice(i, i + BATCH);
        const scores = await redis.zmscore(`${prefix}online`, ...batch);
        batch.forEach((userId, index) => {
          if (Number(scores[index] ?? 0) > now) online.add(userId);
        });
      }
      return online;
    },
    async sweep(now) {
      return (await redis.eval(SWEEP, 0, prefix, String(now), String(BATCH))) as string[];
    },
    async close() {
      try {
        if (redis.status === "ready") await redis.quit();
        else redis.disconnect();
      } catch {
        redis.disconnect();
      }
    },
  };
}
