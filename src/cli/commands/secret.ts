import { type Command, Option } from 'commander';
import { withEnvFile } from '../../config/env-file.js';
import { KeywardError } from '../../errors/index.js';
import {
  checkSecretStrength,
  formatRotationEnv,
  generateSecret,
  parsePreviousSecrets,
  parseSecretInput,
  rotateSecret,
  type SecretEncoding,
  type SecretSize,
  secretEncodings,
} from '../../secrets/index.js';
import { escapeForTerminal } from '../terminal.js';

interface GenerateOptions {
  bytes: string;
  encoding: SecretEncoding;
  env?: boolean;
  json?: boolean;
}

/**
 * Adds `keyward secret generate | check | rotate`. Exit codes: 0 done, 1 the secret is weak,
 * 2 the input could not be used.
 */
export function registerSecretCommand(program: Command): void {
  const secret = program
    .command('secret')
    .description('generate, check and rotate the HMAC secret in KEYWARD_JWT_SECRET (offline)');

  withSecretOptions(secret.command('generate'))
    .description('print a new random secret to stdout')
    .option('--env', 'print it as a KEYWARD_JWT_SECRET= line for a .env file')
    .option('--json', 'print { "secret": ... } as JSON')
    .action((options: GenerateOptions) => runGenerate(options));

  secret
    .command('check')
    .description('judge a secret read from stdin (a bare value or a .env line); exit 1 when weak')
    .option('--json', 'print the result as JSON')
    .action((options: { json?: boolean }) => runCommand(() => runCheck(options)));

  withSecretOptions(secret.command('rotate'))
    .description(
      'print the next KEYWARD_JWT_SECRET and KEYWARD_JWT_PREVIOUS_SECRETS, moving the current ' +
        'secret (read from the environment or .env) to the previous ones',
    )
    .option('--env', 'print the two lines for a .env file (the default)')
    .option('--json', 'print { "secret", "previousSecrets" } as JSON')
    .action((options: GenerateOptions) => runCommand(async () => runRotate(options)));
}

function withSecretOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--bytes <count>', 'random bytes before encoding (32 for HS256, 48, 64)')
        .choices(['32', '48', '64'])
        .default('32'),
    )
    .addOption(
      new Option('--encoding <name>', 'text encoding')
        .choices(secretEncodings)
        .default('base64url'),
    );
}

function runGenerate(options: GenerateOptions): void {
  const secret = generateSecret({
    bytes: Number(options.bytes) as SecretSize,
    encoding: options.encoding,
  });
  if (options.json) writeLine(JSON.stringify({ secret }));
  else writeLine(options.env ? `KEYWARD_JWT_SECRET=${secret}` : secret);
}

// The secret itself is never printed: only its length, estimate, verdict and reasons.
async function runCheck(options: { json?: boolean }): Promise<void> {
  const secret = parseSecretInput(
    await readStdin('Paste the secret and press Enter (it is not shown): '),
  );
  const strength = checkSecretStrength(secret);
  if (options.json) {
    writeLine(JSON.stringify(strength));
  } else {
    writeLine(`length: ${strength.lengthBytes} bytes`);
    writeLine(`estimated entropy: ${strength.estimatedEntropyBits} bits`);
    writeLine(`verdict: ${strength.verdict}`);
    for (const reason of strength.reasons) writeLine(`- ${reason}`);
  }
  if (strength.verdict === 'weak') process.exitCode = 1;
}

function runRotate(options: GenerateOptions): void {
  // Read like the server reads them: the environment first, then an optional .env file.
  const env = withEnvFile(process.env);
  const current = env.KEYWARD_JWT_SECRET ?? '';
  if (current === '') {
    throw new KeywardError(
      'validation_failed',
      'KEYWARD_JWT_SECRET is not set, so there is nothing to rotate.',
      {
        detail:
          'set it to the secret in use now, or run `keyward secret generate --env` for a first one',
      },
    );
  }
  const previous = parsePreviousSecrets(env.KEYWARD_JWT_PREVIOUS_SECRETS);
  const rotation = rotateSecret(current, previous, {
    bytes: Number(options.bytes) as SecretSize,
    encoding: options.encoding,
  });

  if (options.json) writeLine(JSON.stringify(rotation));
  else process.stdout.write(formatRotationEnv(rotation));
  process.stderr.write(
    'keyward: deploy both lines together. Tokens signed with the old secrets stay valid until ' +
      'they expire; remove the old secrets from KEYWARD_JWT_PREVIOUS_SECRETS once the ' +
      'access-token lifetime (KEYWARD_ACCESS_TOKEN_TTL_SECONDS, 15 minutes by default) plus the ' +
      'clock skew (KEYWARD_CLOCK_SKEW_SECONDS, 30 s by default) has passed.\n',
  );
}

/** Runs an action, turning a KeywardError into a message on stderr and exit code 2. */
export async function runCommand(action: () => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof KeywardError)) throw error;
    const detail = error.details.detail ? `: ${error.details.detail}` : '';
    process.stderr.write(`keyward: ${error.message}${detail}\n`);
    process.exitCode = 2;
  }
}

/** Writes a line to stdout with terminal control characters escaped. */
export function writeLine(text: string): void {
  process.stdout.write(`${escapeForTerminal(text)}\n`);
}

/**
 * Reads stdin to its end, or one hidden line from a terminal after printing `prompt` on stderr.
 * Drops one trailing newline. Raises `validation_failed` when nothing was read.
 */
export async function readStdin(prompt: string): Promise<string> {
  const text = process.stdin.isTTY ? await readHiddenLine(prompt) : await readToEnd();
  const value = text.replace(/\r?\n$/, '');
  if (value.trim() === '')
    throw new KeywardError('validation_failed', 'Nothing was read from stdin.');
  return value;
}

async function readToEnd(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// Raw mode turns off the terminal's echo, so the secret never appears on screen or in scrollback.
function readHiddenLine(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  process.stdin.setRawMode(true);
  return new Promise((resolve) => {
    let line = '';
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\u0003') process.exit(130);
        if (char === '\r' || char === '\n') {
          process.stdin.setRawMode(false);
          process.stdin.off('data', onData).pause();
          process.stderr.write('\n');
          return resolve(line);
        }
        line = char === '\u007f' ? line.slice(0, -1) : line + char;
      }
    };
    process.stdin.on('data', onData);
  });
}
