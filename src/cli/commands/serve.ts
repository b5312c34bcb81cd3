import type { Command } from 'commander';
import { serve } from '../../app/serve.js';
import { createLogger } from '../../http/logger.js';
import { configFromEnvironment, exitWithError } from '../environment.js';

/** Adds `keyward serve`: runs the HTTP service with settings from the environment. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP service (settings from the environment and an optional .env file)')
    .action(async () => {
      const config = configFromEnvironment();
      const logger = createLogger({ level: config.logLevel });
      try {
        await serve(config, logger);
      } catch (error) {
        // One plain line on stderr, which log collectors capture as well.
        exitWithError(error);
      }
    });
}
