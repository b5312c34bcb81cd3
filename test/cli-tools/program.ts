// A keyward CLI with only the secret and token commands, so they can be tested on their own.

import { Command } from 'commander';
import { registerSecretCommand } from '../../src/cli/commands/secret.js';
import { registerTokenCommand } from '../../src/cli/commands/token.js';

const program = new Command('keyward').showHelpAfterError();
registerSecretCommand(program);
registerTokenCommand(program);
await program.parseAsync(process.argv);
