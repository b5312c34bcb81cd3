import type { Command } from 'commander';
import { openDatabase } from '../../storage/database.js';
import { parseDatabaseUrl } from '../../storage/database-url.js';
import { migrateToLatest } from '../../storage/migrate.js';
import { configFromEnvironment, exitWithError } from '../environment.js';

/** Adds `keyward migrate`: applies pending migrations to KEYWARD_DATABASE_URL and exits. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = configFromEnvironment();
      try {
        const handle = openDatabase(parseDatabaseUrl(config.databaseUrl));
        const applied = await migrateToLatest(handle);
        await handle.close();
        const text = options.json
          ? JSON.stringify({ applied })
          : applied.length > 0
            ? `applied: ${applied.join(', ')}`
            : 'database is up to date';
        process.stdout.write(`${text}\n`);
      } catch (error) {
        exitWithError(error);
      }
    });
}
