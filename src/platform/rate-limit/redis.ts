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
 * so the script returns how many were admitted, and the counter after them. Then, while the
 * counter stays below half its limit, up to `lease` more are counted in advance for the calling
 * instance to admit on its own (see `admitLocally`).
 *
 * KEYS[1] the counter; ARGV: limit, window in ms, now in ms or "" to use the Redis server's clock,
 * the number of requests wanted, the lease wanted.
 */
const SLIDING_WINDOW_LUA = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])
local lease = tonumber(ARGV[5])
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
local leased = math.max(0, math.min(lease, math.floor(limit / 2) - weighted - current))
current = current + leased
redis.call('HSET', KEYS[1], 'w', index, 'c', current, 'p', previous)
redis.call('PEXPIRE', KEYS[1], window * 2)
return {allowed, index, current - leased, previous, now, leased}
`;

/**
 * The unused part of a lease, given back to the window it was counted in (a window that has
 * rolled over keeps it: its weight fades with the window).
 *
 * KEYS[1] the counter; ARGV: the window index, the count.
 */
const GIVE_BACK_LUA = `
local w = tonumber(redis.call('HGET', KEYS[1], 'w'))
if w == tonumber(ARGV[1]) then
  local c = tonumber(redis.call('HGET', KEYS[1], 'c')) or 0
  redis.call('HSET', KEYS[1], 'c', math.max(0, c - tonumber(ARGV[2])))
end
return 0
`;

const COMMAND = "joxiSlidingWindow";
const GIVE_BACK = "joxiGiveBack";

type SlidingWindowCommand = (
  key: string,
  limit: number,
  windowMs: number,
  now: string,
  wanted: number,
  lease: number,
) => Promise<[number, number, number, number, number, number]>;

type GiveBackCommand = (key: string, index: number, count: number) => Promise<number>;

/** How long a lease may be used; what is left then goes back. */
const LEASE_MS = 100;
/** No instance holds more than this share of a limit in advance. */
const LEASE_SHARE = 1 / 64;
/**
 * Leases smaller than this are not worth their round trips, and would strand a larger share of a
 * small limit: so only limits of 1,024 or more per window lease at all (the default 100 a minute
 * is decided by Redis request by request).
 */
const MIN_LEASE = 16;

/** What an instance knows of one counter between two commands. */
interface CounterView {
  limit: number;
  windowMs: number;
  /** Requests counted in advance for this instance and not yet admitted. */
  leased: number;
  /** The window the lease was counted in. */
  leaseIndex: number;
  leaseExpiresAt: number;
  /** The counter as the last command left it, the lease not included, plus what was admitted from the lease since. */
  used: number;
  resetSeconds: number;
  /** Arrivals since `since`, from which the next lease is sized. */
  arrivals: number;
  since: number;
}

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
 * are then decided together by the next one. Redis decides every hit, atomically, so no number
 * of instances lets more through than the limit.
 *
 * A busy counter of a large limit (1,024 or more per window), far from it (below half), need not
 * wait for Redis at all: each command also asks Redis to count in advance about what this
 * instance will see in the next 100 ms (at most 1/64 of the limit), and `admitLocally` admits
 * from that lease without a round trip. The lease is counted before it is used, so the limit
 * still holds across instances; what is left of it after 100 ms is given back. What leases hold
 * meanwhile can refuse a client early, by at most 1/64 of the limit per instance. Near the limit
 * there is no lease: Redis decides each request.
 */
export function createRedisRateLimiter(redis: Redis, options: RedisRateLimiterOptions = {}): RateLimiter {
  // defineCommand sends EVALSHA and falls back to EVAL once when the server lacks the script.
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
  if (!(GIVE_BACK in redis)) redis.defineCommand(GIVE_BACK, { numberOfKeys: 1, lua: GIVE_BACK_LUA });
  const commands = redis as unknown as Record<typeof COMMAND, SlidingWindowCommand> &
    Record<typeof GIVE_BACK, GiveBackCommand>;
  const command = commands[COMMAND].bind(redis);
  const giveBack = commands[GIVE_BACK].bind(redis);
  const prefix = options.prefix ?? "rl:";
  const clock = options.now ?? Date.now;
  /** Per counter with a command in flight: the hits waiting for the next one. */
  const waiting = new Map<string, Waiter[]>();
  const views = new Map<string, CounterView>();

  function viewOf(counter: string, limit: number, windowMs: number): CounterView {
    let view = views.get(counter);
    if (view === undefined || view.limit !== limit || view.windowMs !== windowMs) {
      if (views.size >= MAX_VIEWS) views.clear();
      view = {
        limit,
        windowMs,
        leased: 0,
        leaseIndex: 0,
        leaseExpiresAt: 0,
        used: 0,
        resetSeconds: 0,
        arrivals: 0,
        since: clock(),
      };
      views.set(counter, view);
    }
    return view;
  }

  /** One request admitted from the lease, while it has some left and has not expired. */
  function fromLease(view: CounterView): RateLimitResult | undefined {
    if (view.leased === 0 || clock() >= view.leaseExpiresAt) return undefined;
    view.leased--;
    view.used++;
    const { limit } = view;
    return {
      allowed: true,
      limit,
      remaining: Math.max(0, limit - view.used),
      resetSeconds: view.resetSeconds,
    };
  }

  /** Returns what is left of an expired lease. */
  function endLease(counter: string, view: CounterView): void {
    if (view.leased > 0) void giveBack(counter, view.leaseIndex, view.leased).catch(() => undefined);
    view.leased = 0;
  }

  /** The lease to ask for: what this instance saw of the counter in the last period, scaled to a lease's length. */
  function leaseWanted(view: CounterView, now: number): number {
    const elapsed = Math.max(1, now - view.since);
    const expected = Math.ceil((view.arrivals * LEASE_MS) / elapsed);
    view.arrivals = 0;
    view.since = now;
    const lease = Math.min(Math.floor(view.limit * LEASE_SHARE), expected);
    return lease >= MIN_LEASE ? lease : 0;
  }

  function decide(counter: string, view: CounterView, batch: Waiter[]): void {
    const { limit, windowMs } = view;
    const now = clock();
    endLease(counter, view);
    const lease = leaseWanted(view, now);
    command(counter, limit, windowMs, options.now ? String(now) : "", batch.length, lease)
      .then(
        ([admitted, index, current, previous, serverNow, leased]) => {
          batch.forEach((waiter, position) => {
            const allowed = position < admitted;
            // Each admitted hit sees the counter as it stood just after it.
            const counted = allowed ? current - admitted + position + 1 : current;
            const state = { index, current: counted, previous };
            waiter.resolve(summarize({ allowed, now: serverNow, state }, limit, windowMs));
          });
          const after = summarize(
            { allowed: true, now: serverNow, state: { index, current, previous } },
            limit,
            windowMs,
          );
          view.used = limit - after.remaining;
          view.resetSeconds = after.resetSeconds;
          view.leased = leased;
          view.leaseIndex = index;
          view.leaseExpiresAt = clock() + LEASE_MS;
        },
        (error: unknown) => {
          for (const waiter of batch) waiter.reject(error);
        },
      )
      .finally(() => {
        const next = waiting.get(counter) ?? [];
        // Those who waited for this command are the first to use the lease it brought.
        while (next.length > 0) {
          const admitted = fromLease(view);
          if (admitted === undefined) break;
          next.shift()?.resolve(admitted);
        }
        if (next.length === 0) {
          waiting.delete(counter);
        } else {
          waiting.set(counter, []);
          decide(counter, view, next);
        }
      });
  }

  return {
    kind: "redis",
    admitLocally(key, limit, windowSeconds) {
      const counter = `${prefix}${boundedKey(key)}`;
      const view = viewOf(counter, limit, windowSeconds * 1000);
      view.arrivals++;
      if (view.leased === 0) return undefined;
      if (clock() >= view.leaseExpiresAt) {
        endLease(counter, view);
        return undefined;
      }
      view.leased--;
      view.used++;
      return {
        allowed: true,
        limit,
        remaining: Math.max(0, limit - view.used),
        resetSeconds: view.resetSeconds,
      };
    },
    hit(key, limit, windowSeconds) {
      const counter = `${prefix}${boundedKey(key)}`;
      const view = viewOf(counter, limit, windowSeconds * 1000);
      return new Promise<RateLimitResult>((resolve, reject) => {
        const queue = waiting.get(counter);
        if (queue) {
          queue.push({ resolve, reject });
          return;
        }
        waiting.set(counter, []);
        decide(counter, view, [{ resolve, reject }]);
      });
    },
  };
}

/** Counters this instance keeps a view of; emptied when full (a lease then simply lapses). */
const MAX_VIEWS = 10_000;
