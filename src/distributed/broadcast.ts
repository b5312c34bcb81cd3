import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { compareStreamIds, createInvalidationLog, type LoggedMessage } from './invalidation-log.js';
import { chunkIds, decodeMessage, encodeMessage, type Topic, topics } from './messages.js';
import { createPendingQueue } from './pending-queue.js';

/**
 * Invalidations sent to every instance. Pub/sub carries them at once, and a Redis stream keeps
 * the recent ones. An instance reads the stream when it starts and after every reconnect, so
 * messages sent while it was away still arrive. A message can arrive twice, so handlers must
 * be idempotent.
 */
export interface Broadcast {
  /**
   * Sends ids to the other instances; never raises. Ids that cannot be sent while Redis is
   * unreachable wait in a bounded queue and go out once the connection is back.
   */
  publish(topic: Topic, ids: readonly string[]): void;
  /** Registers the handler of ids that other instances publish on `topic`. */
  on(topic: Topic, handler: (ids: string[]) => void): void;
  /** Registers a listener called with false at a disconnect and true once caught up again. */
  onConnectivity(listener: (connected: boolean) => void): void;
  readonly connected: boolean;
  /** Stops receiving; the connections themselves are closed by their owner. */
  close(): void;
}

export interface BroadcastOptions {
  publisher: Redis;
  subscriber: Redis;
  /** Prefix of the channel names, so that deployments sharing one Redis stay apart. */
  namespace: string;
  /** How long a missed message still matters, in ms: the session denylist's entry lifetime. */
  retentionMs: number;
  /** Maximum ids waiting for Redis to come back (default 10 000); the oldest are dropped. */
  maxPending?: number;
  /** Called for messages that cannot be decoded or were dropped from the queue. */
  onDropped?: (reason: 'malformed' | 'queue_full', count: number) => void;
}

/** A Redis stream id: milliseconds and a sequence number. */
const STREAM_ID = /^\d{1,15}-\d{1,15}$/;

/** Subscribes to every topic and returns the broadcast. Each process gets a random origin id. */
export function createBroadcast(options: BroadcastOptions): Broadcast {
  const { publisher, subscriber, onDropped } = options;
  const origin = randomUUID();
  const log = createInvalidationLog({ redis: publisher, retentionMs: options.retentionMs });
  const channelOf = (topic: Topic) => `${options.namespace}keyward:invalidate:${topic}`;
  const topicOf = new Map(topics.map((topic) => [channelOf(topic), topic]));
  // A new instance reads back one retention period, so it learns of sessions revoked before it ran.
  const start = `${Date.now() - options.retentionMs}-0`;
  const lastSeen = new Map(topics.map((topic) => [topic, start]));
  const handlers = new Map<Topic, (ids: string[]) => void>();
  const listeners = new Set<(connected: boolean) => void>();
  const pending = createPendingQueue(options.maxPending ?? 10_000, (count) =>
    onDropped?.('queue_full', count),
  );
  let connected = false;
  let catchingUp = false;
  let generation = 0;
  let closed = false;

  function setConnected(value: boolean): void {
    if (value === connected) return;
    connected = value;
    for (const listener of listeners) listener(value);
  }

  function deliver(topic: Topic, { id, text }: LoggedMessage): void {
    if (compareStreamIds(id, lastSeen.get(topic)!) > 0) lastSeen.set(topic, id);
    const message = decodeMessage(text);
    if (!message) {
      onDropped?.('malformed', 1);
      return;
    }
    // An instance's own messages come back to it too; it applied them already.
    if (message.origin !== origin) handlers.get(topic)?.(message.ids);
  }

  function send(topic: Topic, ids: readonly string[]): void {
    for (const chunk of chunkIds(ids)) {
      log.append(topic, channelOf(topic), encodeMessage(origin, chunk)).then(
        // A publish that fails while the connection stays up (a timeout) leaves ids queued
        // with no reconnect to send them, so the next successful publish sends them.
        () => pending.drain(send),
        () => pending.add(topic, chunk),
      );
    }
  }

  /**
   * Subscribes, then reads the stream entries after the last message seen. The stream is read
   * on the publisher connection, because a subscribed one accepts no other commands. When that
   * connection is not ready yet, its `ready` event or a retry a second later starts over.
   */
  async function subscribeAndCatchUp(): Promise<void> {
    if (catchingUp || closed) return;
    catchingUp = true;
    const current = generation;
    try {
      await subscriber.subscribe(...topicOf.keys());
      for (const topic of topics) {
        const missed = await log.readAfter(topic, lastSeen.get(topic)!);
        for (const entry of missed) deliver(topic, entry);
      }
      // A disconnect during the catch-up means a new connection that is not subscribed yet.
      if (generation === current) setConnected(true);
    } catch {
      // Retried below while the subscriber is up; a subscriber that went down waits for `ready`.
    } finally {
      catchingUp = false;
    }
    if (!connected && !closed && subscriber.status === 'ready') {
      setTimeout(() => void subscribeAndCatchUp(), 1000).unref();
    }
  }

  subscriber.on('ready', () => void subscribeAndCatchUp());
  subscriber.on('close', () => {
    generation += 1;
    setConnected(false);
  });
  subscriber.on('message', (channel: string, payload: string) => {
    const topic = topicOf.get(channel);
    const space = payload.indexOf(' ');
    const id = payload.slice(0, space);
    if (topic && STREAM_ID.test(id)) {
      deliver(topic, { id, text: payload.slice(space + 1) });
    } else {
      onDropped?.('malformed', 1);
    }
  });
  publisher.on('ready', () => {
    pending.drain(send);
    if (!connected && subscriber.status === 'ready') void subscribeAndCatchUp();
  });
  if (subscriber.status === 'ready') void subscribeAndCatchUp();

  return {
    publish: (topic, ids) => (ids.length > 0 ? send(topic, ids) : undefined),
    on: (topic, handler) => void handlers.set(topic, handler),
    onConnectivity: (listener) => void listeners.add(listener),
    get connected() {
      return connected;
    },
    close() {
      closed = true;
      setConnected(false);
      subscriber.removeAllListeners('message');
    },
  };
}
