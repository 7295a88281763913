export type { CachedResponse } from "./cached-response";
export { cachedResponse } from "./cached-response";
export {
  type CacheAnswer,
  type CacheLookup,
  type CacheOutcome,
  type CacheTier,
  type Produce,
  type ResponseCache,
  responseCache,
} from "./response-cache";
export { expandTagTemplates } from "./tag-templates";
