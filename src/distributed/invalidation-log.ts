import type { Redis } from 'ioredis';
import type { Topic } from './messages.js';

/**
 * Appends a message to a topic's stream and publishes it with its stream id, in one atomic
 * step on the Redis clock. The stream keeps the messages of the last `retentionMs` (MINID
 * trimming) and at most about `maxEntries`, and expires when no message comes for that long.
 * KEYS: stream. ARGV: message, channel, retentionMs, maxEntries. Returns the stream id.
 */
const APPEND_SCRIPT = `
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local minId = string.format('%d-0', nowMs - tonumber(ARGV[3]))
local id = redis.call('XADD', KEYS[1], 'MINID', '~', minId, '*', 'm', ARGV[1])
redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[2], id .. ' ' .. ARGV[1])
return id
`;

/** Entries read per XRANGE call, and the most calls of one catch-up. */
const PAGE_SIZE = 1000;
const MAX_PAGES = 100;

type AppendCommand = (stream: string, ...args: (string | number)[]) => Promise<string>;

/** A stream entry: its id (`<ms>-<seq>`, on the Redis clock) and the message text. */
export interface LoggedMessage {
  id: string;
  text: string;
}

/**
 * The recent messages of every topic, kept in Redis streams beside pub/sub. Pub/sub reaches
 * only connected subscribers; an instance that reconnects, or starts, reads what it missed here.
 */
export interface InvalidationLog {
  /** Appends and publishes a message on `channel`; rejects with the ioredis error. */
  append(topic: Topic, channel: string, text: string): Promise<string>;
  /** Reads the messages after stream id `afterId`, oldest first. */
  readAfter(topic: Topic, afterId: string): Promise<LoggedMessage[]>;
}

export interface InvalidationLogOptions {
  redis: Redis;
  /** How long messages are kept, in ms: as long as a missed one still matters. */
  retentionMs: number;
  /** Upper bound on entries per topic (default 100 000), whatever their age. */
  maxEntries?: number;
}

/** Creates the log. Stream keys get the connection's ioredis `keyPrefix` like every key. */
export function createInvalidationLog(options: InvalidationLogOptions): InvalidationLog {
  const { redis, retentionMs, maxEntries = 100_000 } = options;
  redis.defineCommand('keywardAppendInvalidation', { numberOfKeys: 1, lua: APPEND_SCRIPT });
  const commands = redis as unknown as Record<string, AppendCommand>;
  const appendCommand = commands.keywardAppendInvalidation!.bind(redis);
  const streamOf = (topic: Topic) => `keyward:invalidations:${topic}`;

  return {
    append: (topic, channel, text) =>
      appendCommand(streamOf(topic), text, channel, Math.ceil(retentionMs), maxEntries),

    async readAfter(topic, afterId) {
      const messages: LoggedMessage[] = [];
      let start = `(${afterId}`;
      for (let page = 0; page < MAX_PAGES; page++) {
        const entries = await redis.xrange(streamOf(topic), start, '+', 'COUNT', PAGE_SIZE);
        for (const [id, fields] of entries) messages.push({ id, text: fields[1] ?? '' });
        if (entries.length < PAGE_SIZE) break;
        start = `(${entries.at(-1)![0]}`;
      }
      return messages;
    },
  };
}

/** Compares two stream ids (`<ms>-<seq>`) in stream order. */
export function compareStreamIds(left: string, right: string): number {
  const [leftMs = 0, leftSeq = 0] = left.split('-').map(Number);
  const [rightMs = 0, rightSeq = 0] = right.split('-').map(Number);
  return leftMs - rightMs || leftSeq - rightSeq;
}
