import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyService, VerifyListener, VerifyResult } from '../../src/apikeys/index.js';
import { type Coordination, createCoordination } from '../../src/distributed/coordination.js';
import { createRateLimiter, type RateLimiter } from '../../src/ratelimit/index.js';
import { captureLogger, waitFor } from './support/capture-logger.js';
import { type RedisServer, redisServerInstalled, startRedisServer } from './support/redis.js';

const policy = { limit: 2, windowMs: 60_000 };
const rule = { freeFailures: 1, baseLockMs: 1000, maxLockMs: 1000, forgetAfterMs: 60_000 };

/** Builds a stand-in API key service that verifies every key as `key_watched` and records drops. */
function fakeApiKeys(invalidated: string[]): ApiKeyService {
  const result = { valid: true, code: 'VALID', keyId: 'key_watched' } as VerifyResult;
  const listeners: VerifyListener[] = [];
  return {
    async verifyKey() {
      for (const listener of listeners) listener(result.code, result.keyId);
      return result;
    },
    onVerify(listener: VerifyListener) {
      listeners.push(listener);
      return () => {};
    },
    invalidate: (keyId: string) => invalidated.push(keyId),
  } as unknown as ApiKeyService;
}

describe.skipIf(!redisServerInstalled('Redis outage tests'))(
  'coordination through a Redis outage',
  () => {
    let server: RedisServer;
    const instances: {
      shared: Coordination;
      lines: Record<string, unknown>[];
      allowing: RateLimiter;
      denying: RateLimiter;
      invalidated: string[];
      apiKeys: ApiKeyService;
    }[] = [];

    beforeAll(async () => {
      server = await startRedisServer();
      for (let index = 0; index < 2; index++) {
        const { logger, lines } = captureLogger();
        const shared = await createCoordination({
          redisUrl: server.url,
          logger,
          sessionDenylistTtlMs: 60_000,
        });
        const store = shared.rateLimitStore;
        const invalidated: string[] = [];
        const apiKeys = fakeApiKeys(invalidated);
        shared.watchApiKeys(apiKeys);
        instances.push({
          shared,
          lines,
          allowing: createRateLimiter({ store, onStoreError: 'allow', logger }),
          denying: createRateLimiter({ store, onStoreError: 'deny', logger }),
          invalidated,
          apiKeys,
        });
      }
    });

    afterAll(async () => {
      for (const { shared } of instances) await shared.close(500);
      await server.kill();
    });

    it('shares rate limits and revoked sessions while Redis runs', async () => {
      const [a, b] = [instances[0]!, instances[1]!];
      const decisions = [
        await a.allowing.limit('key:shared', policy),
        await b.allowing.limit('key:shared', policy),
        await a.allowing.limit('key:shared', policy),
      ];
      a.shared.sessionsRevoked(['ses_revoked']);
      await waitFor(() => b.shared.isSessionRevoked('ses_revoked'));

      expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, false]);
      expect(await a.shared.probes.redis!()).toBe('PONG');
    });

    it('keeps deciding while Redis is down', async () => {
      const [a] = instances;
      await a!.apiKeys.verifyKey('kw_test_x');
      await server.kill();
      await waitFor(() => a!.invalidated.length > 0);

      const started = Date.now();
      const allowed = await a!.allowing.limit('key:down', policy);
      const denied = await a!.denying.limit('key:down', policy);
      const login = await a!.shared.loginStore.register('account:x@example.com', rule, Date.now());
      const elapsedMs = Date.now() - started;

      expect(allowed).toMatchObject({ allowed: true, degraded: true });
      expect(denied).toMatchObject({ allowed: false, degraded: true });
      expect(login).toEqual({ allowed: true });
      // Commands fail at once instead of waiting for a reconnect.
      expect(elapsedMs).toBeLessThan(500);
      await expect(a!.shared.probes.redis!()).rejects.toThrow();
    });

    it('sweeps cached keys every second while disconnected', async () => {
      const [a] = instances;
      const before = a!.invalidated.length;
      await new Promise((resolve) => setTimeout(resolve, 2100));

      expect(a!.invalidated.length - before).toBeGreaterThanOrEqual(2);
      expect(new Set(a!.invalidated)).toEqual(new Set(['key_watched']));
    });

    it('logs the outage once per instance, with its cause', async () => {
      const [a] = instances;
      for (let index = 0; index < 20; index++) await a!.allowing.limit('key:down', policy);
      const warnings = a!.lines.filter((line) => line.event === 'redis.unavailable');

      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.err).toMatchObject({ code: 'ECONNREFUSED' });
    });

    it('recovers by itself when Redis returns', async () => {
      const [a, b] = [instances[0]!, instances[1]!];
      a.shared.sessionsRevoked(['ses_during_outage']);
      await server.restart();
      await waitFor(() => a.lines.some((line) => line.event === 'redis.recovered'), 10_000);
      await waitFor(() => b.shared.isSessionRevoked('ses_during_outage'), 10_000);
      const decision = await a.allowing.limit('key:after', policy);
      a.shared.sessionsRevoked(['ses_after']);
      await waitFor(() => b.shared.isSessionRevoked('ses_after'));

      expect(decision).toMatchObject({ allowed: true, degraded: false });
    });

    it('stops sweeping once subscribed again', async () => {
      const [a] = instances;
      const count = a!.invalidated.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));

      expect(a!.invalidated.length).toBe(count);
    });
  },
);
