import type { ReadinessReport } from '../http/services.js';

/** A check of one backing service: resolves when the service replies, else rejects or hangs. */
export type ReadinessProbe = () => Promise<unknown>;

/** Time after which a probe without a reply counts as failed, in milliseconds. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * Builds the readiness check over named probes, run in parallel. The instance is ready when
 * every probe succeeds within the timeout, so a load balancer stops sending it requests that
 * would fail, and sends them again once the probes pass.
 */
export function createReadinessCheck(
  probes: Record<string, ReadinessProbe>,
  timeoutMs = PROBE_TIMEOUT_MS,
): () => Promise<ReadinessReport> {
  return async () => {
    const names = Object.keys(probes);
    const results = await Promise.all(names.map((name) => runProbe(probes[name]!, timeoutMs)));
    const checks = Object.fromEntries(names.map((name, index) => [name, results[index]!]));
    return { ready: results.every((result) => result === 'ok'), checks };
  };
}

async function runProbe(probe: ReadinessProbe, timeoutMs: number): Promise<'ok' | 'failed'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'failed'>((resolve) => {
    timer = setTimeout(() => resolve('failed'), timeoutMs);
  });
  const answer = probe().then(
    () => 'ok' as const,
    () => 'failed' as const,
  );
  const result = await Promise.race([answer, timeout]);
  clearTimeout(timer);
  return result;
}
