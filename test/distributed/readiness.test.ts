import { describe, expect, it } from 'vitest';
import { createReadinessCheck } from '../../src/distributed/readiness.js';

describe('readiness check', () => {
  it('reports ready when every probe succeeds', async () => {
    const check = createReadinessCheck({ database: async () => 1, redis: async () => 'PONG' });

    expect(await check()).toEqual({ ready: true, checks: { database: 'ok', redis: 'ok' } });
  });

  it('names the probe that failed', async () => {
    const check = createReadinessCheck({
      database: async () => 1,
      redis: () => Promise.reject(new Error('Connection is closed.')),
    });

    expect(await check()).toEqual({ ready: false, checks: { database: 'ok', redis: 'failed' } });
  });

  it('fails a probe that hangs past the timeout', async () => {
    const check = createReadinessCheck({ database: () => new Promise(() => {}) }, 50);

    expect(await check()).toEqual({ ready: false, checks: { database: 'failed' } });
  });
});
