import { describe } from 'vitest';
import { openTestPostgres, postgresAvailable } from '../helpers/databases.js';
import { userSessionStoreSuite } from './user-session-store.suite.js';

if (await postgresAvailable()) {
  userSessionStoreSuite('PostgreSQL', openTestPostgres);
} else {
  describe.skip('user and session stores on PostgreSQL (server unreachable)', () => {});
}
