/**
 * Measures `verifyKey` in process: verifications per second for a valid key served from the
 * cache (also with `admitKey`, the brief result of authentication), a key with a wrong checksum, an unknown well-formed key (rejected from the unknown-key
 * cache after its first lookup), unknown keys that always miss the cache (one SQLite lookup each),
 * and a valid key with credits (one SQLite update each). Run alone with `npx tsx bench/apikeys.ts`.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createApiKeyService, generateApiKey } from '../src/apikeys/index.js';
import { createMemoryStore, createRateLimiter } from '../src/ratelimit/index.js';
import { createKyselyApiKeyStore } from '../src/storage/kysely/api-key-store.js';
import { openTestSqlite } from '../test/helpers/databases.js';
import {
  type ComparedMeasurement,
  compareWithBaseline,
  measureInterleaved,
  printTable,
} from './lib/measure.js';

const operator = { type: 'operator', name: 'bench' } as const;
// Far above the offered load, so every verification takes the allowed path of the limiter.
const RATE_LIMIT = { limit: 1_000_000, windowMs: 1000 };
const MISS_POOL = 50_000;

/** Runs the measurements, prints a table and returns the rows. */
export async function run(): Promise<ComparedMeasurement[]> {
  const database = await openTestSqlite();
  const service = createApiKeyService({
    store: createKyselyApiKeyStore(database.handle.db),
    peppers: {
      current: { version: 1, secret: randomBytes(32).toString('base64url') },
      previous: [],
    },
    limiter: createRateLimiter({ store: createMemoryStore({ sweepIntervalMs: 0 }) }),
    defaultRateLimit: RATE_LIMIT,
    environment: 'live',
    flushIntervalMs: 1000,
  });

  const valid = await service.create(operator, { name: 'bench' });
  const metered = await service.create(operator, { name: 'credits', credits: { remaining: 1e12 } });
  const last = valid.plaintextKey.at(-1) === 'a' ? 'b' : 'a';
  const badChecksum = valid.plaintextKey.slice(0, -1) + last;
  const unknown = generateApiKey('live').plaintextKey;
  // The pool is larger than the unknown-key cache (10 000), so every lookup misses it.
  const misses = Array.from({ length: MISS_POOL }, () => generateApiKey('live').plaintextKey);
  let next = 0;

  const results = await measureInterleaved(
    [
      { name: 'valid key, cached', async: true, run: () => service.verifyKey(valid.plaintextKey) },
      {
        name: 'valid key, cached, admitKey',
        async: true,
        run: () => service.admitKey(valid.plaintextKey),
      },
      { name: 'wrong checksum', async: true, run: () => service.verifyKey(badChecksum) },
      { name: 'unknown key, cached', async: true, run: () => service.verifyKey(unknown) },
      {
        name: 'unknown key, SQLite lookup',
        async: true,
        run: () => service.verifyKey(misses[next++ % MISS_POOL]!),
      },
      {
        name: 'key with credits, SQLite update',
        async: true,
        run: () => service.verifyKey(metered.plaintextKey),
      },
    ],
    { rounds: 5, roundMs: 400 },
  );
  const compared = compareWithBaseline(results, 'valid key, cached');
  console.log(`verifyKey in process, Node ${process.version}, a SQLite file in WAL mode`);
  printTable(compared);

  await service.close();
  await database.drop();
  return compared;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
