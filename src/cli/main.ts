import { Command } from 'commander';
import { createAppContext } from '../app/context.js';
import { createLogger } from '../http/logger.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerSecretCommand } from './commands/secret.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSigningKeyCommand } from './commands/signing-key.js';
import { registerTokenCommand } from './commands/token.js';
import { configFromEnvironment, exitWithError } from './environment.js';

const program = new Command('keyward')
  .description('keyward: authentication service for HTTP APIs, and tools for secrets and tokens')
  .showHelpAfterError();

registerServeCommand(program);
registerMigrateCommand(program);
registerKeysCommand(program, async () => {
  const config = configFromEnvironment();
  // Only failures, and on stderr, so that stdout carries just the command's result; the
  // development-secret warnings are the server's to give.
  const logger = createLogger({ level: 'error', destination: process.stderr });
  const context = await createAppContext(config, logger, { generateSecrets: false }).catch(
    exitWithError,
  );
  return { apiKeys: context.services.apiKeys, close: context.close };
});
registerSecretCommand(program);
registerSigningKeyCommand(program);
registerTokenCommand(program);

await program.parseAsync(process.argv);
