import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

export interface InvalidationBus {
  /**
   * Tells every other instance to drop its in-process entries for `tags`, and resolves once each
   * instance that received the message has confirmed, or after `ackTimeoutMs`. A lost message is
   * bounded by the in-process tier's short lifetime.
   */
  announce(tags: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface InvalidationBusOptions {
  /** Called with the tags another instance invalidated. */
  onRemoteInvalidation(tags: string[]): void;
  /** Called when the subscription was interrupted: messages may have been missed meanwhile. */
  onSubscriptionGap(): void;
  onError(error: unknown): void;
  ackTimeoutMs?: number;
}

interface Announcement {
  id: string;
  from: string;
  tags: string[];
}

/**
 * Cross-instance eviction over Redis pub/sub, with acknowledgements: a write that invalidated
 * the catalog answers only after the other instances have dropped what it made stale, so a client
 * that reads through another instance right after the write never sees the old data.
 */
export function invalidationBus(publisher: Redis, options: InvalidationBusOptions): InvalidationBus {
  const instance = randomUUID();
  // Channels are not keys: the connection's key prefix does not reach them, so it is added here.
  const prefix = publisher.options.keyPrefix ?? "";
  const announcements = `${prefix}cache:invalidate`;
  const myAcks = `${prefix}cache:ack:${instance}`;
  const ackTimeoutMs = options.ackTimeoutMs ?? 250;
  const waiting = new Map<string, { acknowledged: number; expected?: number; done: () => void }>();
  const subscriber = publisher.duplicate({ enableOfflineQueue: true });
  let interrupted = false;

  subscriber.on("error", options.onError);
  subscriber.on("ready", () => {
    if (interrupted) options.onSubscriptionGap();
    interrupted = false;
  });
  subscriber.on("close", () => {
    interrupted = true;
  });
  subscriber.on("message", (channel: string, raw: string) => {
    if (channel === myAcks) return acknowledged(raw);
    if (channel !== announcements) return;
    const message = parse(raw);
    if (!message) return;
    if (message.from !== instance) options.onRemoteInvalidation(message.tags);
    // The sender counts itself among the receivers, so it acknowledges its own message too.
    publisher.publish(`${prefix}cache:ack:${message.from}`, message.id).catch(options.onError);
  });
  subscriber.subscribe(announcements, myAcks).catch(options.onError);

  function acknowledged(id: string): void {
    const wait = waiting.get(id);
    if (!wait) return;
    wait.acknowledged += 1;
    if (wait.expected !== undefined && wait.acknowledged >= wait.expected) wait.done();
  }

  return {
    async announce(tags) {
      const message: Announcement = { id: randomUUID(), from: instance, tags: [...tags] };
      let timer: ReturnType<typeof setTimeout> | undefined;
      const allAcknowledged = new Promise<void>((resolve) => {
        waiting.set(message.id, { acknowledged: 0, done: resolve });
        timer = setTimeout(resolve, ackTimeoutMs);
      });
      try {
        const receivers = await publisher.publish(announcements, JSON.stringify(message));
        const wait = waiting.get(message.id);
        // Acknowledgements may arrive before this answer does; they are counted already.
        if (wait) {
          wait.expected = receivers;
          if (wait.acknowledged >= receivers) wait.done();
        }
        await allAcknowledged;
      } catch (error) {
        options.onError(error);
      } finally {
        clearTimeout(timer);
        waiting.delete(message.id);
      }
    },
    async close() {
      subscriber.disconnect();
    },
  };
}

function parse(raw: string): Announcement | undefined {
  try {
    const message = JSON.parse(raw) as Announcement;
    return typeof message.id === "string" && Array.isArray(message.tags) ? message : undefined;
  } catch {
    return undefined;
  }
}
