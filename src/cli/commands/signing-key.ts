import { type Command, Option } from 'commander';
import { type GeneratedSigningKey, generateSigningKey } from '../../tokens/index.js';

/** Output streams of the command; tests pass their own. */
export interface SigningKeyCommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

interface GenerateOptions {
  alg: 'EdDSA' | 'ES256';
  json?: boolean;
  env?: boolean;
}

/**
 * Adds `keyward signing-key generate [--alg EdDSA|ES256] [--json] [--env]`, which prints a new
 * private signing key to stdout and a warning with its kid to stderr. It works offline.
 */
export function registerSigningKeyCommand(
  program: Command,
  output: SigningKeyCommandOutput = { stdout: process.stdout, stderr: process.stderr },
): void {
  const signingKey = program
    .command('signing-key')
    .description('generate asymmetric keys for KEYWARD_JWT_SIGNING_KEY (offline)');

  signingKey
    .command('generate')
    .description('print a new private signing key (PKCS#8 PEM by default) to stdout')
    .addOption(
      new Option('--alg <algorithm>', 'EdDSA (Ed25519) or ES256 (P-256)')
        .choices(['EdDSA', 'ES256'])
        .default('EdDSA'),
    )
    .addOption(
      new Option('--json', 'print { alg, kid, privateKeyPem, privateJwk, publicJwk } as JSON'),
    )
    .addOption(
      new Option(
        '--env',
        'print KEYWARD_JWT_ALGORITHM and KEYWARD_JWT_SIGNING_KEY lines for .env',
      ).conflicts('json'),
    )
    .action((options: GenerateOptions) => {
      const key = generateSigningKey(options.alg);
      output.stdout.write(formatKey(key, options));
      output.stderr.write(formatNotice(key));
    });
}

function formatKey(key: GeneratedSigningKey, options: GenerateOptions): string {
  if (options.json) return `${JSON.stringify(key)}\n`;
  if (!options.env) return key.privateKeyPem;
  // The JWK is one line of JSON without single quotes, so single quotes keep it intact.
  return (
    `KEYWARD_JWT_ALGORITHM=${key.alg}\n` +
    `KEYWARD_JWT_SIGNING_KEY='${JSON.stringify(key.privateJwk)}'\n`
  );
}

function formatNotice(key: GeneratedSigningKey): string {
  const jwks = JSON.stringify({ keys: [key.publicJwk] });
  return (
    'warning: stdout holds a private signing key. Keep it secret: out of version control, ' +
    'tickets and logs.\n' +
    `kid: ${key.kid}\n` +
    `public JWKS, for KEYWARD_JWT_PREVIOUS_SIGNING_KEYS after the next rotation: ${jwks}\n`
  );
}
