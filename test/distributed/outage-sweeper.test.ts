import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutageSweeper } from '../../src/distributed/outage-sweeper.js';

describe('outage sweeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(maxTracked = 10) {
    const invalidated: string[] = [];
    const sweeper = createOutageSweeper({
      invalidate: (keyId) => invalidated.push(keyId),
      intervalMs: 1000,
      maxTracked,
    });
    return { sweeper, invalidated };
  }

  it('does nothing while connected', () => {
    const { sweeper, invalidated } = setup();
    sweeper.track('key_a');
    vi.advanceTimersByTime(5000);

    expect(invalidated).toEqual([]);
  });

  it('drops tracked keys at a disconnect and every interval after', () => {
    const { sweeper, invalidated } = setup();
    sweeper.track('key_a');
    sweeper.setConnected(false);
    expect(invalidated).toEqual(['key_a']);
    vi.advanceTimersByTime(2000);

    expect(invalidated).toEqual(['key_a', 'key_a', 'key_a']);
    sweeper.stop();
  });

  it('sweeps once more at the reconnect, then stops', () => {
    const { sweeper, invalidated } = setup();
    sweeper.track('key_a');
    sweeper.setConnected(false);
    sweeper.setConnected(true);
    vi.advanceTimersByTime(5000);

    expect(invalidated).toEqual(['key_a', 'key_a']);
  });

  it('forgets the least recently verified keys past its size', () => {
    const { sweeper, invalidated } = setup(2);
    sweeper.track('key_a');
    sweeper.track('key_b');
    sweeper.track('key_a');
    sweeper.track('key_c');
    sweeper.setConnected(true);

    expect(invalidated).toEqual(['key_a', 'key_c']);
  });
});
