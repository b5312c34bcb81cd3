// GET /v1/me over real HTTP: a bare Fastify route, keyward with an access token, and keyward
// with an API key whose rate limit is on, measured in alternating rounds in one run because
// this machine's speed drifts within minutes. Run alone with `npx tsx bench/http.ts`.
import { startServer, testEnv } from '../test/helpers/server-process.js';
import { type LoadResult, median, runLoad } from './lib/load.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

export interface HttpBenchRow {
  name: string;
  requestsPerSecond: number;
  ratio: number;
  p99: number;
  non2xx: number;
}

async function prepareKeyward() {
  // Request logging is off in both servers, so the comparison is of the work itself; the
  // per-key limit is far above the offered load so every request takes the allowed path.
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
  const bare = await startServer({
    command: [process.execPath, '--import', 'tsx', 'bench/lib/bare-server.ts'],
  });
  const keyward = await prepareKeyward();
  const contenders: [string, string, Record<string, string>][] = [
    ['bare Fastify route', bare.url, {}],
    [
      'keyward, access token',
      keyward.server.url,
      { authorization: `Bearer ${keyward.accessToken}` },
    ],
    ['keyward, API key + rate limit', keyward.server.url, { 'x-api-key': keyward.apiKey }],
  ];
  const results = new Map<string, LoadResult[]>(contenders.map(([name]) => [name, []]));
  try {
    for (const [, url, headers] of contenders)
      await runLoad(`${url}/v1/me`, headers, { connections, seconds: 2 });
    for (let round = 0; round < rounds; round++) {
      for (const [name, url, headers] of contenders) {
        results.get(name)!.push(await runLoad(`${url}/v1/me`, headers, { connections, seconds }));
      }
    }
  } finally {
    await bare.stop();
    await keyward.server.stop();
  }

  const baseline = median(results.get(contenders[0]![0])!.map((r) => r.requestsPerSecond));
  const rows = contenders.map(([name]) => {
    const runs = results.get(name)!;
    const requestsPerSecond = median(runs.map((r) => r.requestsPerSecond));
    return {
      name,
      requestsPerSecond,
      ratio: requestsPerSecond / baseline,
      p99: median(runs.map((r) => r.p99)),
      non2xx: runs.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    };
  });
  console.log(
    `\nGET /v1/me, ${connections} connections, ${rounds} rounds of ${seconds} s, medians`,
  );
  console.table(
    rows.map((r) => ({
      ...r,
      requestsPerSecond: Math.round(r.requestsPerSecond),
      ratio: r.ratio.toFixed(3),
    })),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
