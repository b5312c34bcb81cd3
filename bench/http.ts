// GET /v1/me over real HTTP: a bare Fastify route, keyward with an access token, and keyward
// with an API key whose rate limit is on. Throughput is measured in rounds in which every
// keyward run sits between two runs of the bare route, and its ratio is taken against the mean
// of those two, because this machine's speed drifts within minutes. Latency is then measured
// at a fixed load below capacity. Run alone with `npx tsx bench/http.ts`.
import { type ServerProcess, startServer, testEnv } from '../test/helpers/server-process.js';
import { runFixedRate } from './lib/fixed-rate.js';
import { type LoadResult, median, runLoad } from './lib/load.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
/** Offered load of the latency pass, in requests per second. */
const latencyRate = Number(process.env.BENCH_LATENCY_RATE ?? 10_000);
const latencySeconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 4);
// BENCH_DETAIL=1 adds two rows that attribute the gap: the bare route with keyward's security
// headers, and keyward's unauthenticated /healthz, which runs every hook except authentication.
const withDetail = process.env.BENCH_DETAIL === '1';
/**
 * Server processes started per contender, of which the fastest is measured. On this machine a
 * Node process of the very same server stays, for its whole life, at about 13 µs of CPU per
 * request or at about 18 µs. Which one looks random: about half the processes are slow, with
 * or without ASLR and concurrent compilation. Taking the fastest of a few compares each server
 * at its best.
 */
const processes = Number(process.env.BENCH_PROCESSES ?? 3);

export interface HttpBenchRow {
  name: string;
  requestsPerSecond: number;
  /**
   * Median over rounds of this rate divided by the mean rate of the bare-route runs just before
   * and just after it.
   */
  ratio: number;
  /** autocannon's 99th-percentile latency at saturation, in ms: mostly queueing. */
  p99: number;
  /** 99th-percentile latency at `latencyRate` requests per second, in ms. */
  p99AtRate: number;
  /** Median latency at `latencyRate` requests per second, in ms. */
  p50AtRate: number;
  non2xx: number;
  /** Server CPU time per request, in µs. */
  serverCpuUs: number;
  /** Share of the run the server process spent on a CPU, 0 to 1. */
  serverBusy: number;
  /** Load generator (this process) CPU time per request, in µs. */
  loadCpuUs: number;
}

type Contender = [
  name: string,
  url: string,
  headers: Record<string, string>,
  serverPid: number | undefined,
];

type Target = { url: string; headers: Record<string, string> };

/**
 * Starts `processes` copies of a server, warms each up on its targets while measuring its CPU per
 * request, stops all but the fastest, and returns that one.
 */
async function fastestOf<T extends { server: ServerProcess }>(
  start: () => Promise<T>,
  targetsOf: (started: T) => Target[],
): Promise<T> {
  const started: { candidate: T; cpuUs: number }[] = [];
  for (let index = 0; index < processes; index++) {
    const candidate = await start();
    let cpuUs = 0;
    for (const { url, headers } of targetsOf(candidate)) {
      const pid = candidate.server.child.pid;
      cpuUs += (await runLoad(url, headers, { connections, seconds: 2, serverPid: pid }))
        .serverCpuUs;
    }
    started.push({ candidate, cpuUs });
  }
  started.sort((a, b) => a.cpuUs - b.cpuUs);
  for (const { candidate } of started.slice(1)) await candidate.server.stop();
  return started[0]!.candidate;
}

async function prepareKeyward() {
  // Request logging is off in both servers, so the comparison is of the work itself. The
  // per-key limit is far above the offered load, so every request takes the allowed path.
  const env = { ...testEnv(), KEYWARD_LOG_LEVEL: 'warn', KEYWARD_RATE_LIMIT: '1000000/1s' };
  const server = await startServer({ env });
  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const session = await post('/v1/auth/signup', {
    email: 'bench@example.com',
    password: 'correct horse battery staple',
  });
  const key = await post(
    '/v1/keys',
    { name: 'bench' },
    { authorization: `Bearer ${session.accessToken}` },
  );
  return { server, accessToken: session.accessToken as string, apiKey: key.key as string };
}

export async function run(): Promise<HttpBenchRow[]> {
  const startBare = async () => ({
    server: await startServer({
      command: [process.execPath, '--import', 'tsx', 'bench/lib/bare-server.ts'],
    }),
  });
  const { server: bare } = await fastestOf(startBare, ({ server }) => [
    { url: `${server.url}/v1/me`, headers: {} },
  ]);
  const keyward = await fastestOf(prepareKeyward, ({ server, accessToken, apiKey }): Target[] => [
    { url: `${server.url}/v1/me`, headers: { authorization: `Bearer ${accessToken}` } },
    { url: `${server.url}/v1/me`, headers: { 'x-api-key': apiKey } },
  ]);
  const detail: Contender[] = [
    ['bare route + security headers', `${bare.url}/v1/me/headers`, {}, bare.child.pid],
    ['keyward, GET /healthz', `${keyward.server.url}/healthz`, {}, keyward.server.child.pid],
  ];
  const contenders: Contender[] = [
    ['bare Fastify route', `${bare.url}/v1/me`, {}, bare.child.pid],
    ...(withDetail ? detail : []),
    [
      'keyward, access token',
      `${keyward.server.url}/v1/me`,
      { authorization: `Bearer ${keyward.accessToken}` },
      keyward.server.child.pid,
    ],
    [
      'keyward, API key + rate limit',
      `${keyward.server.url}/v1/me`,
      { 'x-api-key': keyward.apiKey },
      keyward.server.child.pid,
    ],
  ];
  const [baselineName, baselineUrl, baselineHeaders, baselinePid] = contenders[0]!;
  const results = new Map<string, LoadResult[]>(contenders.map(([name]) => [name, []]));
  const ratios = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
  const latencies = new Map<string, { p50: number; p99: number }[]>(
    contenders.map(([name]) => [name, []]),
  );
  const runBaseline = async () => {
    const result = await runLoad(baselineUrl, baselineHeaders, {
      connections,
      seconds,
      serverPid: baselinePid,
    });
    results.get(baselineName)!.push(result);
    return result.requestsPerSecond;
  };
  try {
    for (const [, url, headers] of contenders)
      await runLoad(url, headers, { connections, seconds: 2 });
    for (let round = 0; round < rounds; round++) {
      let before = await runBaseline();
      for (const [name, url, headers, serverPid] of contenders.slice(1)) {
        const result = await runLoad(url, headers, { connections, seconds, serverPid });
        const after = await runBaseline();
        results.get(name)!.push(result);
        ratios.get(name)!.push(result.requestsPerSecond / ((before + after) / 2));
        before = after;
      }
    }
    // The first second at a new rate opens the connections and warms up the client's code.
    for (const [, url, headers] of contenders)
      await runFixedRate(url, headers, { rate: latencyRate, seconds: 1, connections });
    for (let round = 0; round < Math.max(1, Math.ceil(rounds / 2)); round++) {
      for (const [name, url, headers] of contenders) {
        const options = { rate: latencyRate, seconds: latencySeconds, connections };
        const result = await runFixedRate(url, headers, options);
        if (result.failed > 0) throw new Error(`${name}: ${result.failed} failed requests`);
        latencies.get(name)!.push(result);
      }
    }
  } finally {
    await bare.stop();
    await keyward.server.stop();
  }

  const rows = contenders.map(([name], index) => {
    const runs = results.get(name)!;
    const atRate = latencies.get(name)!;
    return {
      name,
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      ratio: index === 0 ? 1 : median(ratios.get(name)!),
      p99: median(runs.map((r) => r.p99)),
      p50AtRate: median(atRate.map((r) => r.p50)),
      p99AtRate: median(atRate.map((r) => r.p99)),
      non2xx: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      serverCpuUs: median(runs.map((r) => r.serverCpuUs)),
      serverBusy: median(runs.map((r) => r.serverBusy)),
      loadCpuUs: median(runs.map((r) => r.loadCpuUs)),
    };
  });
  console.log(
    `\nGET /v1/me, ${connections} connections, ${rounds} rounds of ${seconds} s, medians; ` +
      `latency at ${latencyRate} requests/s over ${latencySeconds} s`,
  );
  console.table(
    rows.map((r) => ({
      ...r,
      requestsPerSecond: Math.round(r.requestsPerSecond),
      ratio: r.ratio.toFixed(3),
      p50AtRate: r.p50AtRate.toFixed(2),
      p99AtRate: r.p99AtRate.toFixed(2),
      serverCpuUs: r.serverCpuUs.toFixed(1),
      serverBusy: r.serverBusy.toFixed(2),
      loadCpuUs: r.loadCpuUs.toFixed(1),
    })),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
