import { describe } from 'vitest';
import { createKyselyApiKeyStore } from '../../src/storage/kysely/api-key-store.js';
import { openTestPostgres, postgresAvailable } from '../helpers/databases.js';
import { apiKeyStoreSuite, fixtureFor } from './api-key-store.suite.js';

// postgresAvailable prints why when it skips; in CI (CI=true) the suite always runs.
if (await postgresAvailable()) {
  apiKeyStoreSuite('PostgreSQL', async () =>
    fixtureFor(await openTestPostgres(), createKyselyApiKeyStore),
  );
} else {
  describe.skip('API key store on PostgreSQL (server unreachable)', () => {});
}
