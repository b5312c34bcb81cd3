import { Redis, type RedisOptions } from 'ioredis';
import { createOutageLog, type OutageLogger } from './outage-log.js';

/** The two Redis connections of one instance: commands, and a subscriber for pub/sub. */
export interface RedisConnections {
  commands: Redis;
  /** A connection in subscriber mode accepts no other commands, hence its own. */
  subscriber: Redis;
  /**
   * Prefix of every key and channel, from the `keyPrefix` query parameter of the URL (an
   * ioredis option); empty when the URL has none.
   */
  namespace: string;
  /** Resolves true once both connections are ready, or false after `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  /** Closes both connections; gives up waiting for a clean QUIT after `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Options of both connections. Commands fail at once while disconnected instead of waiting in
 * ioredis's offline queue: the rate limiter and the login store have fallbacks, and a queued
 * command would hold its request for the whole outage.
 */
const connectionOptions: RedisOptions = {
  enableOfflineQueue: false,
  // A command sent just before a disconnect is rejected, never resent: a resent rate-limit
  // command would spend budget for a request that was already decided without it.
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 1,
  // Redis on the same network replies within a millisecond, so a command still waiting after a
  // second means the server hangs.
  commandTimeout: 1000,
  connectTimeout: 2000,
  // Reconnects for ever: after 200 ms, 400 ms, … then every 2 s.
  retryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 2000),
};

/**
 * Opens the connections to the Redis at `url` (ioredis URL syntax: `redis://[:password@]host
 * [:port][/db][?keyPrefix=...]`). Connection failures and recoveries are logged once per outage.
 */
export function openRedis(url: string, logger: OutageLogger): RedisConnections {
  const outage = createOutageLog(logger, { service: 'redis' });
  const commands = new Redis(url, { ...connectionOptions, connectionName: 'keyward' });
  // The pub/sub layer subscribes again on each `ready` itself, so it learns when that is done.
  const subscriber = new Redis(url, {
    ...connectionOptions,
    connectionName: 'keyward-subscriber',
    autoResubscribe: false,
  });
  for (const [source, connection] of [
    ['commands', commands],
    ['subscriber', subscriber],
  ] as const) {
    connection.on('error', (error: unknown) => outage.failed(source, error));
    connection.on('ready', () => outage.recovered(source));
  }

  return {
    commands,
    subscriber,
    namespace: commands.options.keyPrefix ?? '',
    async ready(timeoutMs) {
      const results = await Promise.all([commands, subscriber].map((c) => whenReady(c, timeoutMs)));
      return results.every(Boolean);
    },
    async close(timeoutMs) {
      subscriber.disconnect();
      await quitWithin(commands, timeoutMs);
    },
  };
}

function whenReady(connection: Redis, timeoutMs: number): Promise<boolean> {
  if (connection.status === 'ready') return Promise.resolve(true);

  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    const onReady = () => finish(true);
    function finish(ready: boolean) {
      clearTimeout(timer);
      connection.off('ready', onReady);
      resolve(ready);
    }
    connection.on('ready', onReady);
  });
}

/** Sends QUIT so that Redis logs a clean close, and drops the socket if that takes too long. */
async function quitWithin(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([connection.quit().catch(() => undefined), timeout]);
  clearTimeout(timer);
  connection.disconnect();
}
