import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createRemoteJWKSet } from 'jose';
import { KeywardError } from '../../errors/index.js';
import {
  auditJwt,
  decodeJwt,
  type Finding,
  hasSeriousFinding,
  parsePublicKeyText,
  type VerificationKey,
  verifyJwtSignature,
} from '../../inspector/index.js';
import { readStdin, runCommand, writeLine } from './secret.js';

interface AuditOptions {
  iss?: string;
  aud?: string;
  typ?: string;
  json?: boolean;
}

interface VerifyOptions {
  secretStdin?: boolean;
  key?: string;
  jwks?: string;
  json?: boolean;
}

const tokenArgument = 'the JWT, or - to read it from stdin (keeps it out of shell history)';

/**
 * Adds `keyward token decode | audit | verify`. Exit codes: 0 done, 1 a serious finding or an
 * invalid signature, 2 the token or key could not be read.
 */
export function registerTokenCommand(program: Command): void {
  const token = program.command('token').description('decode, audit and verify JWTs');

  token
    .command('decode')
    .description('print the header and claims without verifying anything')
    .argument('<token>', tokenArgument)
    .option('--json', 'print { header, claims, signatureBytes } as JSON')
    .action((value: string, options: { json?: boolean }) =>
      runCommand(() => runDecode(value, options)),
    );

  token
    .command('audit')
    .description('list what is wrong with a token; exit 1 when any finding is serious')
    .argument('<token>', tokenArgument)
    .option('--iss <issuer>', 'expected issuer; a missing or different iss is serious')
    .option('--aud <audience>', 'expected audience; an aud without it is serious')
    .option('--typ <type>', 'expected typ header, such as at+jwt for keyward access tokens')
    .option('--json', 'print { findings } as JSON')
    .action((value: string, options: AuditOptions) => runCommand(() => runAudit(value, options)));

  token
    .command('verify')
    .description('check the signature with exactly one key source; exit 1 when it does not match')
    .argument('<token>', tokenArgument)
    .option('--secret-stdin', 'read the HMAC secret from stdin')
    .option('--key <file>', 'public key file: PEM (SPKI or certificate), JWK or JWK Set')
    .option('--jwks <url>', 'JWK Set URL, such as https://auth.example.com/.well-known/jwks.json')
    .option('--json', 'print { valid, alg, reason } as JSON')
    .action((value: string, options: VerifyOptions) => runCommand(() => runVerify(value, options)));
}

async function readToken(value: string): Promise<string> {
  return value === '-' ? readStdin('Paste the token and press Enter: ') : value;
}

async function runDecode(value: string, options: { json?: boolean }): Promise<void> {
  const decoded = decodeJwt(await readToken(value));
  const signatureBytes = decoded.signature.length;
  if (options.json) {
    writeLine(JSON.stringify({ header: decoded.header, claims: decoded.claims, signatureBytes }));
    return;
  }
  writeLine(`header:\n${JSON.stringify(decoded.header, null, 2)}`);
  writeLine(`claims:\n${JSON.stringify(decoded.claims, null, 2)}`);
  writeLine(`signature: ${signatureBytes} bytes (not verified)`);
}

async function runAudit(value: string, options: AuditOptions): Promise<void> {
  const findings = await auditJwt(await readToken(value), {
    expectedIssuer: options.iss,
    expectedAudience: options.aud,
    expectedTyp: options.typ,
  });
  if (options.json) writeLine(JSON.stringify({ findings }));
  else for (const finding of findings) writeLine(formatFinding(finding));
  if (hasSeriousFinding(findings)) process.exitCode = 1;
}

function formatFinding(finding: Finding): string {
  return `${finding.severity.padEnd(7)}  ${finding.id}: ${finding.message}`;
}

async function runVerify(value: string, options: VerifyOptions): Promise<void> {
  const sources = [options.secretStdin, options.key, options.jwks].filter((s) => s !== undefined);
  if (sources.length !== 1) {
    throw new KeywardError(
      'validation_failed',
      'Give exactly one of --secret-stdin, --key and --jwks.',
    );
  }
  if (options.secretStdin && value === '-') {
    throw new KeywardError(
      'validation_failed',
      'stdin cannot carry both the token and the secret; pass the token as an argument.',
    );
  }

  const token = await readToken(value);
  const result = await verifyJwtSignature(token, await readKey(options));
  if (options.json) writeLine(JSON.stringify(result));
  else
    writeLine(
      result.valid ? `signature valid (${result.alg})` : `signature not valid: ${result.reason}`,
    );
  if (!result.valid) process.exitCode = 1;
}

async function readKey(options: VerifyOptions): Promise<VerificationKey> {
  if (options.secretStdin)
    return { secret: await readStdin('Paste the secret and press Enter (it is not shown): ') };
  if (options.jwks !== undefined) return { keySet: createRemoteJWKSet(parseJwksUrl(options.jwks)) };

  const text = await readFile(options.key ?? '', 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new KeywardError(
      'validation_failed',
      `The key file ${options.key} cannot be read (${error.code}).`,
    );
  });
  return parsePublicKeyText(text, `The key file ${options.key}`);
}

function parseJwksUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KeywardError('validation_failed', `--jwks ${value} is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KeywardError(
      'validation_failed',
      `--jwks must be an http or https URL, not ${url.protocol}.`,
    );
  }
  return url;
}
