import type { RateLimitResult } from "./types";

/**
 * The sliding window both limiters share, approximated from two fixed windows (as Cloudflare
 * and others do): the count in the previous window is weighted by how much of it the sliding
 * window still covers, and added to the count of the current window,
 *
 *     used = ceil(previous × (window − elapsed) / window) + current
 *
 * Two integers per key whatever the limit, where an exact log would keep one entry per request.
 * The weighted part is rounded up, so the estimate never lets through more than it counts.
 * Everything is integer milliseconds, so this file and the Lua script compute the same values.
 */
export interface WindowState {
  /** Which fixed window `current` counts: floor(now / windowMs). */
  index: number;
  current: number;
  previous: number;
}

export interface Step {
  state: WindowState;
  allowed: boolean;
  /** The clock the step was taken at (the index may be ahead of it, see `roll`). */
  now: number;
}

/** The stored state moved to the window `now` falls in. */
export function roll(stored: WindowState | undefined, now: number, windowMs: number): WindowState {
  const index = Math.floor(now / windowMs);
  if (stored === undefined || stored.index < index - 1) return { index, current: 0, previous: 0 };
  if (stored.index === index - 1) return { index, current: 0, previous: stored.current };
  // Same window, or (with per-instance clocks) a window another instance has already opened.
  return stored;
}

function elapsedIn(state: WindowState, now: number, windowMs: number): number {
  return Math.max(0, now - state.index * windowMs);
}

/** The requests the sliding window ending at `now` holds, by the two-window estimate. */
export function weightedCount(state: WindowState, now: number, windowMs: number): number {
  const elapsed = elapsedIn(state, now, windowMs);
  const weighted = Math.floor((state.previous * (windowMs - elapsed) + windowMs - 1) / windowMs);
  return weighted + state.current;
}

/** Counts one request at `now` if it fits. */
export function step(stored: WindowState | undefined, now: number, limit: number, windowMs: number): Step {
  const state = roll(stored, now, windowMs);
  if (weightedCount(state, now, windowMs) < limit) {
    return { state: { ...state, current: state.current + 1 }, allowed: true, now };
  }
  return { state, allowed: false, now };
}

/** Milliseconds from `now` until one more request would fit. */
export function msUntilNextAllowed(state: WindowState, now: number, limit: number, windowMs: number): number {
  const elapsed = elapsedIn(state, now, windowMs);
  // Within this window: wait until ceil(previous × (window − e) / window) ≤ limit − 1 − current.
  const room = limit - 1 - state.current;
  if (room >= 0) {
    if (state.previous === 0) return 0;
    const at = windowMs - Math.floor((room * windowMs) / state.previous);
    if (at < windowMs) return Math.max(0, at - elapsed);
  }
  // In the next window `current` becomes the weighted part: ceil(current × (window − e) / window) ≤ limit − 1.
  const untilNext = windowMs - elapsed;
  if (state.current === 0) return untilNext;
  const at = windowMs - Math.floor(((limit - 1) * windowMs) / state.current);
  return untilNext + Math.max(0, at);
}

/** Milliseconds from `now` until nothing is counted any more. */
export function msUntilEmpty(state: WindowState, now: number, windowMs: number): number {
  const elapsed = elapsedIn(state, now, windowMs);
  if (state.current > 0) return 2 * windowMs - elapsed;
  if (state.previous > 0) return windowMs - elapsed;
  return 0;
}

/** What a step means to the caller. */
export function summarize(taken: Step, limit: number, windowMs: number): RateLimitResult {
  const { state, now, allowed } = taken;
  const remaining = Math.max(0, limit - weightedCount(state, now, windowMs));
  const result: RateLimitResult = {
    allowed,
    limit,
    remaining,
    resetSeconds: Math.ceil(msUntilEmpty(state, now, windowMs) / 1000),
  };
  if (!allowed) {
    result.retryAfterSeconds = Math.max(1, Math.ceil(msUntilNextAllowed(state, now, limit, windowMs) / 1000));
  }
  return result;
}
