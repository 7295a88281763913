/**
 * This process's view of which tags were invalidated, as counters. An in-process entry remembers
 * the counters of its tags when its computation began; any advance since makes it unusable. One
 * advance is O(1) however many entries carry the tag, and nothing is scanned.
 */
export interface LocalTagClock {
  /** The counters to remember for `tags`, read before the response is computed. */
  read(tags: readonly string[]): number[];
  /** True when none of `tags` advanced since `counters` were read. */
  isCurrent(tags: readonly string[], counters: readonly number[]): boolean;
  advance(tags: readonly string[]): void;
  /** Makes every entry unusable: for when invalidations may have been missed. */
  advanceAll(): void;
}

export function localTagClock(): LocalTagClock {
  const counters = new Map<string, number>();
  // Position 0 of every reading: advancing it outdates all readings at once.
  let epoch = 0;
  return {
    read(tags) {
      const reading = [epoch];
      for (const tag of tags) reading.push(counters.get(tag) ?? 0);
      return reading;
    },
    isCurrent(tags, reading) {
      if (reading[0] !== epoch || reading.length !== tags.length + 1) return false;
      for (let index = 0; index < tags.length; index += 1) {
        if ((counters.get(tags[index] as string) ?? 0) !== reading[index + 1]) return false;
      }
      return true;
    },
    advance(tags) {
      for (const tag of tags) counters.set(tag, (counters.get(tag) ?? 0) + 1);
    },
    advanceAll() {
      epoch += 1;
    },
  };
}
