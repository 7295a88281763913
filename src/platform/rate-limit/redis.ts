import type { Redis } from "ioredis";
import { boundedKey } from "./keys";
import type { RateLimiter } from "./types";
import { summarize } from "./window";

/**
 * window.ts's `step` in Lua, so that reading, deciding and writing is one atomic command even
 * when many instances share the counter. One small hash per key (`w` window index, `c` current
 * count, `p` previous count) that expires two windows after its last use.
 *
 * KEYS[1] the counter; ARGV: limit, window in ms, now in ms or "" to use the Redis server's clock.
 */
const SLIDING_WINDOW_LUA = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local index = math.floor(now / window)
local stored = redis.call('HMGET', KEYS[1], 'w', 'c', 'p')
local w = tonumber(stored[1])
local current = tonumber(stored[2]) or 0
local previous = tonumber(stored[3]) or 0
if w == nil or w < index - 1 then
  current = 0
  previous = 0
elseif w == index - 1 then
  previous = current
  current = 0
else
  index = w
end
local elapsed = now - index * window
if elapsed < 0 then elapsed = 0 end
local weighted = math.floor((previous * (window - elapsed) + window - 1) / window)
local allowed = 0
if weighted + current < limit then
  current = current + 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'w', index, 'c', current, 'p', previous)
redis.call('PEXPIRE', KEYS[1], window * 2)
return {allowed, index, current, previous, now}
`;

const COMMAND = "joxiSlidingWindow";

type SlidingWindowCommand = (
  key: string,
  limit: number,
  windowMs: number,
  now: string,
) => Promise<[number, number, number, number, number]>;

export interface RedisRateLimiterOptions {
  /** Prefix of the counters' keys, inside the connection's own key prefix. */
  prefix?: string;
  /**
   * Milliseconds since the epoch. By default the Redis server's clock is used, so instances whose
   * clocks disagree still share one window; tests pass their own clock.
   */
  now?: () => number;
}

/** Counters shared by every instance on one Redis; failures reject, see `withFallback`. */
export function createRedisRateLimiter(redis: Redis, options: RedisRateLimiterOptions = {}): RateLimiter {
  // defineCommand sends EVALSHA and falls back to EVAL once when the server lacks the script.
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
  const command = (redis as unknown as Record<typeof COMMAND, SlidingWindowCommand>)[COMMAND].bind(redis);
  const prefix = options.prefix ?? "rl:";
  return {
    kind: "redis",
    async hit(key, limit, windowSeconds) {
      const windowMs = windowSeconds * 1000;
      const clock = options.now ? String(options.now()) : "";
      const [allowed, index, current, previous, now] = await command(
        `${prefix}${boundedKey(key)}`,
        limit,
        windowMs,
        clock,
      );
      return summarize({ allowed: allowed === 1, now, state: { index, current, previous } }, limit, windowMs);
    },
  };
}
