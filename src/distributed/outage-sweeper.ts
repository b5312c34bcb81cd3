/**
 * Shortens the lifetime of this instance's API-key cache while invalidations cannot arrive.
 * The key cache trusts an entry for 30 s by default, because pub/sub reports changes made on
 * other instances. While the subscriber is disconnected, no reports come. So the sweeper drops
 * every recently verified key from the cache every `intervalMs`, and once more when the
 * subscription is back, for the messages missed meanwhile.
 */
export interface OutageSweeper {
  /** Remembers a key id that this instance verified, and so may hold in its cache. */
  track(keyId: string): void;
  /** Starts sweeping at a disconnect; stops, after one last sweep, at a reconnect. */
  setConnected(connected: boolean): void;
  /** Stops the timer. */
  stop(): void;
}

export interface OutageSweeperOptions {
  /** Drops one key from the cache, such as `ApiKeyService.invalidate`. */
  invalidate(keyId: string): void;
  /** Maximum time an entry is trusted during an outage, in ms (default 1000). */
  intervalMs?: number;
  /** Key ids remembered, least recently verified dropped first (default 10 000, the cache size). */
  maxTracked?: number;
}

/** Creates the sweeper; it does nothing until `setConnected(false)`. */
export function createOutageSweeper(options: OutageSweeperOptions): OutageSweeper {
  const { invalidate, intervalMs = 1000, maxTracked = 10_000 } = options;
  const tracked = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  function sweep(): void {
    for (const keyId of tracked) invalidate(keyId);
  }

  function stopTimer(): void {
    clearInterval(timer);
    timer = undefined;
  }

  return {
    track(keyId) {
      // Re-inserting keeps the Set in order of last verification.
      tracked.delete(keyId);
      tracked.add(keyId);
      if (tracked.size > maxTracked) tracked.delete(tracked.values().next().value as string);
    },
    setConnected(connected) {
      sweep();
      if (connected) {
        stopTimer();
      } else if (timer === undefined) {
        timer = setInterval(sweep, intervalMs);
        timer.unref();
      }
    },
    stop: stopTimer,
  };
}
