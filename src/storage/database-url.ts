import { resolve } from 'node:path';
import { KeywardError } from '../errors/index.js';

export type Dialect = 'sqlite' | 'postgres';

/** A parsed `KEYWARD_DATABASE_URL`. */
export type DatabaseLocation =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'postgres'; connectionString: string };

/**
 * Parses `sqlite:PATH` (relative paths resolve against the working directory, `sqlite::memory:`
 * for an in-memory database) or `postgres://` / `postgresql://` URLs.
 * Raises `validation_failed` for any other form.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') {
      throw new KeywardError('validation_failed', 'the SQLite URL names no file', {
        detail: 'Use sqlite:./data/keyward.db or sqlite::memory:.',
      });
    }
    return { dialect: 'sqlite', filename: path === ':memory:' ? path : resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return { dialect: 'postgres', connectionString: url };
  }
  throw new KeywardError('validation_failed', 'unsupported database URL scheme', {
    detail: 'Use sqlite:PATH or postgres://USER@HOST:PORT/DATABASE.',
  });
}
