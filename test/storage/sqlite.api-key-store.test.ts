import { createKyselyApiKeyStore } from '../../src/storage/kysely/api-key-store.js';
import { openTestSqlite } from '../helpers/databases.js';
import { apiKeyStoreSuite, fixtureFor } from './api-key-store.suite.js';

apiKeyStoreSuite('SQLite', async () => fixtureFor(await openTestSqlite(), createKyselyApiKeyStore));
