// Measures keyward on PostgreSQL + Redis next to SQLite + memory: requests/s and p99 of
// GET /v1/me with an API key, from real server processes under autocannon on loopback in
// alternating rounds. It also measures how long a revocation on one of three instances takes
// to reach the other two.
// Run alone with `npx tsx bench/distributed.ts`; BENCH_SECONDS, BENCH_ROUNDS,
// BENCH_CONNECTIONS and BENCH_REVOCATIONS change the defaults (10, 2, 64, 200).
import { randomBytes } from 'node:crypto';
import { dropSchema, uniqueSchema, urlWithSchema } from '../test/distributed/support/postgres.js';
import { deleteKeys, redisUrl, uniquePrefix } from '../test/distributed/support/redis.js';
import { testEnv } from '../test/helpers/server-process.js';
import {
  call,
  msUntilRejected,
  startCluster,
  startQuietServer,
} from '../test/multi-instance/cluster.js';
import { type LoadResult, median, runLoad } from './lib/load.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const revocations = Number(process.env.BENCH_REVOCATIONS ?? 200);
const password = 'correct horse battery staple';

export interface ThroughputRow {
  name: string;
  requestsPerSecond: number;
  /** Milliseconds; the median over the rounds of each round's p99. */
  p99: number;
  non2xx: number;
}

/** Milliseconds from sending DELETE until both other instances return 401. */
export interface RevocationStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface DistributedBenchResult {
  throughput: ThroughputRow[];
  revocation: RevocationStats;
}

/** Variables of every server here: shared secrets, no request logs, a limit above the load. */
function baseEnv(): Record<string, string> {
  return {
    KEYWARD_JWT_SECRET: randomBytes(32).toString('base64url'),
    KEYWARD_API_KEY_PEPPER: randomBytes(32).toString('base64url'),
    KEYWARD_ISSUER: 'http://keyward.bench',
    KEYWARD_RATE_LIMIT: '1000000/1s',
    KEYWARD_AUTH_RATE_LIMIT: '100000/60s',
  };
}

/** Signs a user up on `url` and returns an access token and a new API key. */
async function userWithKey(url: string): Promise<{ token: string; apiKey: string }> {
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const session = await call(url, 'POST', '/v1/auth/signup', { body: { email, password } });
  const token = session.body.accessToken as string;
  const created = await call(url, 'POST', '/v1/keys', { token, body: { name: 'bench' } });
  if (created.status !== 201) throw new Error(`key creation failed: ${created.status}`);
  return { token, apiKey: created.body.key };
}

async function measureThroughput(schema: string, prefix: string): Promise<ThroughputRow[]> {
  const quiet = { ...baseEnv(), KEYWARD_LOG_LEVEL: 'warn' };
  const contenders = [
    { name: 'SQLite + memory', env: { ...testEnv(), ...quiet } },
    {
      name: 'PostgreSQL + Redis',
      env: {
        ...quiet,
        KEYWARD_DATABASE_URL: urlWithSchema(schema),
        KEYWARD_REDIS_URL: `${redisUrl}?keyPrefix=${encodeURIComponent(prefix)}`,
      },
    },
  ];
  const servers = await Promise.all(contenders.map((contender) => startQuietServer(contender.env)));
  const results: LoadResult[][] = contenders.map(() => []);
  try {
    const keys = await Promise.all(servers.map((server) => userWithKey(server.url)));
    const load = (index: number, duration: number) =>
      runLoad(
        `${servers[index]!.url}/v1/me`,
        { 'x-api-key': keys[index]!.apiKey },
        {
          connections,
          seconds: duration,
        },
      );
    for (let index = 0; index < servers.length; index++) await load(index, 2);
    for (let round = 0; round < rounds; round++) {
      // The order alternates, so a machine that slows down over minutes hurts both alike.
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const index of order) results[index]!.push(await load(index, seconds));
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  return contenders.map((contender, index) => ({
    name: contender.name,
    requestsPerSecond: median(results[index]!.map((result) => result.requestsPerSecond)),
    p99: median(results[index]!.map((result) => result.p99)),
    non2xx: results[index]!.reduce((sum, result) => sum + result.non2xx + result.errors, 0),
  }));
}

async function measureRevocation(schema: string, prefix: string): Promise<RevocationStats> {
  const cluster = await startCluster(
    3,
    {
      databaseUrl: urlWithSchema(schema),
      redisUrl: `${redisUrl}?keyPrefix=${encodeURIComponent(prefix)}`,
    },
    baseEnv(),
  );
  const delays: number[] = [];
  try {
    const { token } = await userWithKey(cluster.servers[0]!.url);
    for (let round = 0; round < revocations; round++) {
      const [revoker, ...others] = rotate(
        cluster.servers.map((server) => server.url),
        round,
      );
      const created = await call(revoker!, 'POST', '/v1/keys', {
        token,
        body: { name: `r${round}` },
      });
      const { id, key } = created.body as { id: string; key: string };
      // Each other instance caches the key first, so only the invalidation can remove it.
      for (const url of others) await call(url, 'GET', '/v1/me', { apiKey: key });
      const since = performance.now();
      const polls = others.map((url) => msUntilRejected(url, key, since));
      await call(revoker!, 'DELETE', `/v1/keys/${id}`, { token });
      delays.push(Math.max(...(await Promise.all(polls))));
    }
  } finally {
    await cluster.stop();
  }
  const sorted = delays.sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)]!;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1)! };
}

function rotate<T>(items: T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

export async function run(): Promise<DistributedBenchResult> {
  const schemas = [uniqueSchema(), uniqueSchema()];
  const prefix = uniquePrefix();
  try {
    const throughput = await measureThroughput(schemas[0]!, `${prefix}load:`);
    const revocation = await measureRevocation(schemas[1]!, `${prefix}revoke:`);
    console.log(
      `\nGET /v1/me with an API key, ${connections} connections, ${rounds} rounds of ${seconds} s, medians`,
    );
    console.table(
      throughput.map((row) => ({ ...row, requestsPerSecond: Math.round(row.requestsPerSecond) })),
    );
    console.log(`\nRevocation reaching both other instances of 3, ms from sending DELETE`);
    console.table([
      Object.fromEntries(
        Object.entries(revocation).map(([name, value]) => [name, Math.round(value * 10) / 10]),
      ),
    ]);
    return { throughput, revocation };
  } finally {
    for (const schema of schemas) await dropSchema(schema);
    await deleteKeys(redisUrl, prefix);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
