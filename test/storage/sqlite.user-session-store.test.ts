import { openTestSqlite } from '../helpers/databases.js';
import { userSessionStoreSuite } from './user-session-store.suite.js';

userSessionStoreSuite('SQLite', openTestSqlite);
