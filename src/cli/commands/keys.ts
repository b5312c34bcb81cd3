import type { Command } from 'commander';
import type {
  ApiKeyEventView,
  ApiKeyService,
  ApiKeyView,
  IssuedApiKey,
} from '../../apikeys/index.js';
import { KeywardError } from '../../errors/index.js';
import { parseRateLimit } from '../../ratelimit/index.js';
import { escapeForTerminal } from '../terminal.js';

/** Function that opens the service for the keys commands, with a `close` that releases it. */
export type KeysContextOpener = () => Promise<{ apiKeys: ApiKeyService; close(): Promise<void> }>;

/** Output streams of the commands. Tests pass their own. */
export interface KeysOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: KeysOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

const OPERATOR = { type: 'operator', name: 'cli' } as const;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

interface CreateOptions {
  name: string;
  scopes?: string;
  expiresIn?: string;
  ratelimit?: string;
  credits?: string;
  refill?: string;
  json?: boolean;
}

/**
 * Adds `keyward keys create | list | show | rotate | revoke | disable | enable | events`, which
 * manage keys as the operator `cli`. Results go to stdout (one JSON line with `--json`) and
 * diagnostics to stderr. A failure sets exit code 1.
 */
export function registerKeysCommand(
  program: Command,
  openContext: KeysContextOpener,
  output: KeysOutput = processOutput,
): void {
  const keys = program.command('keys').description('create and manage API keys in the database');
  const run = (action: (apiKeys: ApiKeyService) => Promise<void>) =>
    runWithContext(openContext, output, action);
  const print = (json: boolean | undefined, value: unknown, text: () => string) =>
    output.stdout(`${json ? JSON.stringify(value) : text()}\n`);

  keys
    .command('create')
    .description('create a service key (owned by no user) and print it once')
    .requiredOption('--name <name>', 'name shown in listings')
    .option('--scopes <list>', 'comma-separated scopes, for example keys:verify')
    .option('--expires-in <duration>', 'lifetime such as 90m, 24h or 30d (default: no expiry)')
    .option('--ratelimit <limit>', 'rate limit such as 100/60s (default: KEYWARD_RATE_LIMIT)')
    .option('--credits <count>', 'usage credits (default: unlimited)')
    .option('--refill <amount/interval>', 'credit refill such as 1000/month or 100/day')
    .option('--json', 'print one JSON line')
    .action((options: CreateOptions) =>
      run(async (apiKeys) => {
        const issued = await apiKeys.create(OPERATOR, parseCreateOptions(options, Date.now()));
        printIssued(output, issued, options.json);
      }),
    );

  keys
    .command('list')
    .description('list every key, newest first')
    .option('--json', 'print one JSON line')
    .action((options: { json?: boolean }) =>
      run(async (apiKeys) => {
        const list = await apiKeys.list(OPERATOR);
        print(options.json, { keys: list }, () => list.map(formatRow).join('\n') || 'no keys');
      }),
    );

  const single: [string, string, (apiKeys: ApiKeyService, id: string) => Promise<ApiKeyView>][] = [
    ['show', 'show one key', (apiKeys, id) => apiKeys.get(OPERATOR, id)],
    ['revoke', 'revoke a key at once', (apiKeys, id) => apiKeys.revoke(OPERATOR, id)],
    ['disable', 'reject a key until it is enabled', (apiKeys, id) => apiKeys.disable(OPERATOR, id)],
    ['enable', 'accept a disabled key again', (apiKeys, id) => apiKeys.enable(OPERATOR, id)],
  ];
  for (const [name, description, act] of single) {
    keys
      .command(`${name} <id>`)
      .description(description)
      .option('--json', 'print one JSON line')
      .action((id: string, options: { json?: boolean }) =>
        run(async (apiKeys) => {
          const key = await act(apiKeys, id);
          print(options.json, key, () => formatDetails(key));
        }),
      );
  }

  keys
    .command('rotate <id>')
    .description(
      'issue a successor with the same settings, and let the old key lapse after the grace period',
    )
    .option('--grace <duration>', 'grace period such as 0, 90m or 24h (default: 24h)')
    .option('--json', 'print one JSON line')
    .action((id: string, options: { grace?: string; json?: boolean }) =>
      run(async (apiKeys) => {
        const grace =
          options.grace === undefined
            ? {}
            : { gracePeriodMs: parseDuration('--grace', options.grace) };
        printIssued(output, await apiKeys.rotate(OPERATOR, id, grace), options.json);
      }),
    );

  keys
    .command('events <id>')
    .description('show the audit events of a key, newest first')
    .option('--limit <count>', 'number of events, 1 to 200', '50')
    .option('--json', 'print one JSON line')
    .action((id: string, options: { limit: string; json?: boolean }) =>
      run(async (apiKeys) => {
        const events = await apiKeys.events(OPERATOR, id, { limit: Number(options.limit) });
        print(options.json, { events }, () => events.map(formatEvent).join('\n') || 'no events');
      }),
    );
}

async function runWithContext(
  openContext: KeysContextOpener,
  output: KeysOutput,
  action: (apiKeys: ApiKeyService) => Promise<void>,
): Promise<void> {
  let context: Awaited<ReturnType<KeysContextOpener>> | undefined;
  try {
    context = await openContext();
    await action(context.apiKeys);
  } catch (error) {
    if (!(error instanceof KeywardError)) throw error;
    const detail = error.details.detail ? `: ${error.details.detail}` : '';
    output.stderr(`keyward: ${error.message}${detail}\n`);
    process.exitCode = 1;
  } finally {
    await context?.close();
  }
}

function parseCreateOptions(options: CreateOptions, now: number) {
  const scopes = (options.scopes ?? '')
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  if (options.refill !== undefined && options.credits === undefined) {
    // Dropping the refill would silently create a key with unlimited use.
    throw invalidOption('--refill', 'needs --credits, the balance to start from');
  }
  const credits =
    options.credits === undefined ? null : parseCount('--credits', options.credits, 0);
  return {
    name: options.name,
    scopes,
    expiresAt:
      options.expiresIn === undefined
        ? null
        : now + parseDuration('--expires-in', options.expiresIn),
    ratelimit: options.ratelimit === undefined ? null : parseRateLimit(options.ratelimit),
    credits: credits === null ? null : { remaining: credits, refill: parseRefill(options.refill) },
  };
}

function parseRefill(text: string | undefined) {
  if (text === undefined) return null;
  const match = /^(\d+)\/(day|month)$/.exec(text.trim());
  if (!match) throw invalidOption('--refill', 'must look like 1000/month or 100/day');
  return { amount: parseCount('--refill', match[1]!, 1), interval: match[2] as 'day' | 'month' };
}

/** Parses `0` or a whole number with the unit s, m, h or d into milliseconds. */
function parseDuration(option: string, text: string): number {
  if (text.trim() === '0') return 0;
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!match)
    throw invalidOption(option, 'must be a whole number with the unit s, m, h or d, such as 24h');
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

function parseCount(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw invalidOption(option, `must be a whole number of ${min} or more`);
  }
  return value;
}

function invalidOption(option: string, problem: string): KeywardError {
  return new KeywardError('validation_failed', `invalid ${option}`, {
    detail: `${option} ${problem}`,
  });
}

function printIssued(output: KeysOutput, issued: IssuedApiKey, json: boolean | undefined): void {
  if (json) {
    // `id` and `key` lead the line, so a reader of the output finds them first.
    const { id, ...rest } = issued.key;
    output.stdout(`${JSON.stringify({ id, key: issued.plaintextKey, ...rest })}\n`);
  } else {
    output.stdout(`${formatDetails(issued.key)}\nkey:        ${issued.plaintextKey}\n`);
  }
  output.stderr('keyward: the key is shown only this once. Store it in a secret manager now.\n');
}

function formatRow(key: ApiKeyView): string {
  return [
    key.id,
    key.status.padEnd(8),
    key.start,
    escapeForTerminal(key.name),
    key.scopes.join(',') || '-',
  ].join('  ');
}

function formatDetails(key: ApiKeyView): string {
  const lines: [string, string | null][] = [
    ['id', key.id],
    ['name', escapeForTerminal(key.name)],
    ['status', key.status],
    ['owner', key.userId ?? 'service key'],
    ['start', key.start],
    ['scopes', key.scopes.join(', ') || '-'],
    ['created', key.createdAt],
    ['expires', key.expiresAt ?? 'never'],
    ['last used', key.lastUsedAt ?? 'never'],
    ['rotated from', key.rotatedFrom],
    [
      'credits',
      key.credits &&
        `${key.credits.remaining}${key.credits.refill ? ` (refill ${key.credits.refill.amount}/${key.credits.refill.interval})` : ''}`,
    ],
    ['rate limit', key.ratelimit && `${key.ratelimit.limit}/${key.ratelimit.windowMs}ms`],
  ];
  return lines
    .filter(([, value]) => value !== null)
    .map(([label, value]) => `${`${label}:`.padEnd(12)}${value}`)
    .join('\n');
}

function formatEvent(event: ApiKeyEventView): string {
  return [event.createdAt, event.type.padEnd(19), event.actor ?? '-', event.reason ?? '']
    .join('  ')
    .trimEnd();
}
