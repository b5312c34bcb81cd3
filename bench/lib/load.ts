import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** Requests per second, latency and CPU cost of one autocannon run. Latencies in milliseconds. */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU time of the server process per completed request, in µs; NaN without `serverPid`. */
  serverCpuUs: number;
  /** Share of the run during which the server process was on a CPU, 0 to 1; NaN without a pid. */
  serverBusy: number;
  /** CPU time of this process (the load generator) per completed request, in µs. */
  loadCpuUs: number;
}

/**
 * Runs autocannon against a loopback URL for `seconds` with `connections` connections, as fast as
 * they go or at `overallRate`. With `serverPid`, also reads the server's CPU time from /proc
 * (Linux only) before and after.
 */
export async function runLoad(
  url: string,
  headers: Record<string, string>,
  options: {
    connections: number;
    seconds: number;
    serverPid?: number;
    /** Offered load in requests per second across all connections; unset means as fast as possible. */
    overallRate?: number;
  },
): Promise<LoadResult> {
  const serverBefore = processCpuMs(options.serverPid);
  const loadBefore = process.cpuUsage();
  const startedAt = performance.now();
  const result = await autocannon({
    url,
    headers,
    connections: options.connections,
    duration: options.seconds,
    pipelining: 1,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
  const elapsedMs = performance.now() - startedAt;
  const load = process.cpuUsage(loadBefore);
  const serverMs = processCpuMs(options.serverPid) - serverBefore;
  const completed = result.requests.total;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuUs: (serverMs * 1000) / completed,
    serverBusy: serverMs / elapsedMs,
    loadCpuUs: (load.user + load.system) / completed,
  };
}

/** User plus system CPU time of a process in ms, from /proc/PID/stat; NaN without a pid. */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) {
    return Number.NaN;
  }
  // The command name (field 2) may contain spaces, so fields are counted after its ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicksPerSecond;
}

/** USER_HZ on Linux, which is 100 on every mainstream architecture (`getconf CLK_TCK`). */
const clockTicksPerSecond = 100;

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
