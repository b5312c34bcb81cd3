import { Agent, get } from 'node:http';
import { median } from './load.js';

/** Latency of one run at a fixed offered load, in milliseconds. */
export interface FixedRateResult {
  p50: number;
  p99: number;
  max: number;
  /** Requests that got a status other than 200, or no response. */
  failed: number;
}

/**
 * Sends GET requests to a loopback URL at `rate` requests per second for `seconds`, over at
 * most `connections` keep-alive connections, and measures each request from the moment it is
 * issued to the end of its response. autocannon's `overallRate` sends each second's quota as
 * fast as it can and then pauses. Here requests are spread over the second in batches of one
 * timer tick (about 1 ms), so the figures are the latency of a server under a steady load below
 * its capacity, not the queueing of a saturated one. The client's own time is included.
 */
export async function runFixedRate(
  url: string,
  headers: Record<string, string>,
  options: { rate: number; seconds: number; connections: number },
): Promise<FixedRateResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  let failed = 0;
  try {
    await new Promise<void>((resolve) => {
      const startedAt = performance.now();
      let issued = 0;
      let finished = 0;
      const finish = () => {
        finished += 1;
        if (finished === total) resolve();
      };
      const tick = () => {
        const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
        for (; issued < due; issued++) {
          const sentAt = performance.now();
          get(url, { agent, headers }, (response) => {
            response.resume();
            response.on('end', () => {
              latencies.push(performance.now() - sentAt);
              if (response.statusCode !== 200) failed += 1;
              finish();
            });
          }).on('error', () => {
            failed += 1;
            finish();
          });
        }
        if (issued < total) setTimeout(tick, 1);
      };
      tick();
    });
  } finally {
    agent.destroy();
  }
  latencies.sort((a, b) => a - b);
  const at = (share: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))]!;
  return { p50: median(latencies), p99: at(0.99), max: latencies[latencies.length - 1]!, failed };
}
