import type { Logger } from 'pino';
import type { ApiKeyService, InvalidationBus } from '../apikeys/index.js';
import { createMemoryStore, createRedisStore, type RateLimitStore } from '../ratelimit/index.js';
import type { LoginAttemptStore } from '../users/login-guard.js';
import { createMemoryLoginStore } from '../users/memory-login-store.js';
import { createRedisLoginStore } from '../users/redis-login-store.js';
import { type Broadcast, createBroadcast } from './broadcast.js';
import { createFallbackLoginStore } from './fallback-login-store.js';
import { createOutageLog } from './outage-log.js';
import { createOutageSweeper } from './outage-sweeper.js';
import type { ReadinessProbe } from './readiness.js';
import { openRedis } from './redis-client.js';
import { createSessionDenylist, type SessionDenylist } from './session-denylist.js';

/**
 * State that instances share through Redis, or keep to themselves without it: rate limits,
 * login failure counts, and revocations of API keys and sessions.
 */
export interface Coordination {
  rateLimitStore: RateLimitStore;
  loginStore: LoginAttemptStore;
  /** The `invalidationBus` of the API key service; undefined without Redis. */
  apiKeyBus?: InvalidationBus;
  /** The `onRevoked` hook of the session service: lists the sessions here and everywhere. */
  sessionsRevoked(sessionIds: string[]): void;
  isSessionRevoked(sessionId: string): boolean;
  /** Has the API key service's cache swept while invalidations cannot arrive. */
  watchApiKeys(apiKeys: ApiKeyService): void;
  /** Readiness probes of the shared services, by name. */
  probes: Record<string, ReadinessProbe>;
  /** Stops timers and closes the Redis connections, within about `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

export interface CoordinationOptions {
  /** `KEYWARD_REDIS_URL`; without it every state stays in this process. */
  redisUrl?: string;
  logger: Logger;
  /** Lifetime of a session denylist entry: the access-token lifetime plus clock skew, in ms. */
  sessionDenylistTtlMs: number;
  /** How long start-up waits for Redis before going on without it, in ms (default 5000). */
  connectTimeoutMs?: number;
}

/** Builds the coordination over Redis when a URL is given, else the in-process one. */
export async function createCoordination(options: CoordinationOptions): Promise<Coordination> {
  const denylist = createDenylist(options);
  if (options.redisUrl === undefined) {
    return {
      rateLimitStore: createMemoryStore(),
      loginStore: createMemoryLoginStore(),
      sessionsRevoked: (ids) => denylist.add(ids),
      isSessionRevoked: (id) => denylist.isSessionRevoked(id),
      watchApiKeys: () => {},
      probes: {},
      close: async () => {},
    };
  }
  return createRedisCoordination(options.redisUrl, options, denylist);
}

async function createRedisCoordination(
  url: string,
  options: CoordinationOptions,
  denylist: SessionDenylist,
): Promise<Coordination> {
  const { logger } = options;
  const redis = openRedis(url, logger);
  const warnDropped = warnAtMostEveryMinute(
    logger,
    'invalidation.dropped',
    'invalidation messages dropped as malformed or past the queue limit',
  );
  const broadcast = createBroadcast({
    publisher: redis.commands,
    subscriber: redis.subscriber,
    namespace: redis.namespace,
    retentionMs: options.sessionDenylistTtlMs,
    onDropped: (_reason, count) => warnDropped(count),
  });
  broadcast.on('sessions', (ids) => denylist.add(ids));
  if (!(await redis.ready(options.connectTimeoutMs ?? 5000))) {
    logger.warn(
      { event: 'redis.start_degraded' },
      'redis not ready at start-up; starting without it',
    );
  }

  const stopSweepers: (() => void)[] = [];
  return {
    rateLimitStore: createRedisStore({ redis: redis.commands }),
    loginStore: createFallbackLoginStore({
      primary: createRedisLoginStore({ redis: redis.commands }),
      fallback: createMemoryLoginStore(),
      outage: createOutageLog(logger, { service: 'login attempt store' }),
    }),
    apiKeyBus: apiKeyBusOf(broadcast),
    sessionsRevoked(ids) {
      denylist.add(ids);
      broadcast.publish('sessions', ids);
    },
    isSessionRevoked: (id) => denylist.isSessionRevoked(id),
    watchApiKeys(apiKeys) {
      const sweeper = createOutageSweeper({ invalidate: (keyId) => apiKeys.invalidate(keyId) });
      if (!broadcast.connected) sweeper.setConnected(false);
      broadcast.onConnectivity((connected) => sweeper.setConnected(connected));
      stopSweepers.push(sweeper.stop);
      stopSweepers.push(
        apiKeys.onVerify((_code, keyId) => {
          if (keyId !== null) sweeper.track(keyId);
        }),
      );
    },
    probes: { redis: () => redis.commands.ping() },
    async close(timeoutMs) {
      for (const stop of stopSweepers) stop();
      broadcast.close();
      await redis.close(timeoutMs);
    },
  };
}

function apiKeyBusOf(broadcast: Broadcast): InvalidationBus {
  return {
    publish: (keyId) => broadcast.publish('api-keys', [keyId]),
    subscribe: (handler) =>
      broadcast.on('api-keys', (ids) => {
        for (const id of ids) handler(id);
      }),
  };
}

function createDenylist(options: CoordinationOptions): SessionDenylist {
  return createSessionDenylist({
    ttlMs: options.sessionDenylistTtlMs,
    onEvicted: warnAtMostEveryMinute(
      options.logger,
      'session_denylist.evicted',
      'session denylist full; oldest revocations dropped',
    ),
  });
}

/**
 * Returns a counter that logs a warning with the count since the last warning, at most once a
 * minute, so that a flood of bad messages or revocations cannot flood the log.
 */
function warnAtMostEveryMinute(
  logger: Logger,
  event: string,
  message: string,
): (count: number) => void {
  let lastWarningAt = 0;
  let count = 0;
  return (added) => {
    count += added;
    if (Date.now() - lastWarningAt < 60_000) return;
    lastWarningAt = Date.now();
    logger.warn({ event, count }, message);
    count = 0;
  };
}
