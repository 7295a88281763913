import type { Redis } from "ioredis";
import { boundedKey } from "./keys";
import type { RateLimiter, RateLimitResult } from "./types";
import { summarize } from "./window";

/**
 * window.ts's `step` in Lua, so that reading, deciding and writing is one atomic command even
 * when many instances share the counter. One small hash per key (`w` window index, `c` current
 * count, `p` previous count) that expires two windows after its last use.
 *
 * Several requests are decided in one call: the first `wanted` are let in while there is room,
 * so the script returns how many were admitted, and the counter after them.
 *
 * KEYS[1] the counter; ARGV: limit, window in ms, now in ms or "" to use the Redis server's clock,
 * the number of requests wanted.
 */
const SLIDING_WINDOW_LUA = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])
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
local allowed = math.max(0, math.min(wanted, limit - weighted - current))
current = current + allowed
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
  wanted: number,
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

interface Waiter {
  resolve(result: RateLimitResult): void;
  reject(error: unknown): void;
}

/**
 * Counters shared by every instance on one Redis; failures reject, see `withFallback`.
 *
 * One command per counter is in flight at a time: the hits that arrive meanwhile wait for it and
 * are then decided together by the next one. Redis still decides every hit, atomically, so no
 * number of instances lets more through than the limit; a busy client costs one command per
 * round trip instead of one per request.
 */
export function createRedisRateLimiter(redis: Redis, options: RedisRateLimiterOptions = {}): RateLimiter {
  // defineCommand sends EVALSHA and falls back to EVAL once when the server lacks the script.
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
  const command = (redis as unknown as Record<typeof COMMAND, SlidingWindowCommand>)[COMMAND].bind(redis);
  const prefix = options.prefix ?? "rl:";
  /** Per counter with a command in flight: the hits waiting for the next one. */
  const waiting = new Map<string, Waiter[]>();

  function decide(counter: string, limit: number, windowMs: number, batch: Waiter[]): void {
    const clock = options.now ? String(options.now()) : "";
    command(counter, limit, windowMs, clock, batch.length)
      .then(
        ([admitted, index, current, previous, now]) => {
          batch.forEach((waiter, position) => {
            const allowed = position < admitted;
            // Each admitted hit sees the counter as it stood just after it.
            const counted = allowed ? current - admitted + position + 1 : current;
            const state = { index, current: counted, previous };
            waiter.resolve(summarize({ allowed, now, state }, limit, windowMs));
          });
        },
        (error: unknown) => {
          for (const waiter of batch) waiter.reject(error);
        },
      )
      .finally(() => {
        const next = waiting.get(counter) ?? [];
        if (next.length === 0) {
          waiting.delete(counter);
        } else {
          waiting.set(counter, []);
          decide(counter, limit, windowMs, next);
        }
      });
  }

  return {
    kind: "redis",
    hit(key, limit, windowSeconds) {
      const counter = `${prefix}${boundedKey(key)}`;
      return new Promise<RateLimitResult>((resolve, reject) => {
        const queue = waiting.get(counter);
        if (queue) {
          queue.push({ resolve, reject });
          return;
        }
        waiting.set(counter, []);
        decide(counter, limit, windowSeconds * 1000, [{ resolve, reject }]);
      });
    },
  };
}
