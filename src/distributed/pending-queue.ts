import type { Topic } from './messages.js';

/** Ids that could not be published, waiting for Redis to come back. */
export interface PendingQueue {
  add(topic: Topic, ids: readonly string[]): void;
  /** Hands every waiting id to `send`, grouped by topic, and empties the queue. */
  drain(send: (topic: Topic, ids: readonly string[]) => void): void;
}

/**
 * Creates a queue of at most `maxIds` ids in arrival order. Past it the oldest are dropped and
 * reported to `onDropped`: the key cache's outage sweep still covers API keys, but a dropped
 * session id leaves that session's access tokens valid on other instances until they expire.
 */
export function createPendingQueue(
  maxIds: number,
  onDropped?: (count: number) => void,
): PendingQueue {
  let queue: { topic: Topic; id: string }[] = [];
  return {
    add(topic, ids) {
      for (const id of ids) queue.push({ topic, id });
      const excess = queue.length - maxIds;
      if (excess > 0) {
        queue.splice(0, excess);
        onDropped?.(excess);
      }
    },
    drain(send) {
      if (queue.length === 0) return;
      const items = queue;
      queue = [];
      const byTopic = new Map<Topic, string[]>();
      for (const { topic, id } of items) {
        const ids = byTopic.get(topic);
        if (ids) ids.push(id);
        else byTopic.set(topic, [id]);
      }
      for (const [topic, ids] of byTopic) send(topic, ids);
    },
  };
}
