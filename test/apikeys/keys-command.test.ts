import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerKeysCommand } from '../../src/cli/commands/keys.js';
import { createServiceFixture, type ServiceFixture } from './setup.js';

let fixture: ServiceFixture;
let stdout: string[];
let stderr: string[];
let closed: number;

beforeEach(async () => {
  fixture = await createServiceFixture();
  stdout = [];
  stderr = [];
  closed = 0;
  process.exitCode = undefined;
});
afterEach(async () => {
  process.exitCode = undefined;
  await fixture.close();
});

async function keyward(...args: string[]): Promise<string> {
  const program = new Command('keyward').exitOverride();
  const open = async () => ({
    apiKeys: fixture.service,
    close: async () => {
      closed += 1;
    },
  });
  registerKeysCommand(program, open, {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
  });
  const before = stdout.length;
  await program.parseAsync(['node', 'keyward', 'keys', ...args]);
  return stdout.slice(before).join('');
}

describe('keyward keys', () => {
  it('creates a service key and prints the plaintext once', async () => {
    const line = await keyward(
      'create',
      '--name',
      'billing',
      '--scopes',
      'keys:verify,a',
      '--credits',
      '5',
      '--json',
    );
    const created = JSON.parse(line);
    expect(Object.keys(created).slice(0, 2)).toEqual(['id', 'key']);
    expect(created).toMatchObject({ name: 'billing', userId: null, scopes: ['keys:verify', 'a'] });
    expect(created.credits).toEqual({ remaining: 5, refill: null });
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(stderr.join('')).not.toContain(created.key);

    expect((await fixture.service.verifyKey(created.key)).code).toBe('VALID');
    const shown = await keyward('show', created.id);
    expect(shown).toContain(created.id);
    expect(shown).not.toContain(created.key);
    expect(closed).toBe(2);
  });

  it('parses expiry, rate limit and refill', async () => {
    const created = JSON.parse(
      await keyward(
        'create',
        '--name',
        'n',
        '--expires-in',
        '30d',
        '--ratelimit',
        '100/60s',
        '--credits',
        '10',
        '--refill',
        '100/month',
        '--json',
      ),
    );
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(created.ratelimit).toEqual({ limit: 100, windowMs: 60_000 });
    expect(created.credits.refill).toEqual({ amount: 100, interval: 'month' });
  });

  it('lists, rotates, disables, enables, revokes and shows events', async () => {
    const { id } = JSON.parse(await keyward('create', '--name', 'svc', '--json'));
    const rotated = JSON.parse(await keyward('rotate', id, '--grace', '1h', '--json'));
    expect(rotated.rotatedFrom).toBe(id);
    expect(JSON.parse(await keyward('list', '--json')).keys).toHaveLength(2);

    expect(JSON.parse(await keyward('disable', rotated.id, '--json')).status).toBe('disabled');
    expect(JSON.parse(await keyward('enable', rotated.id, '--json')).status).toBe('active');
    expect(JSON.parse(await keyward('revoke', rotated.id, '--json')).status).toBe('revoked');

    const { events } = JSON.parse(await keyward('events', rotated.id, '--json'));
    expect(events.map((event: { type: string }) => event.type)).toEqual([
      'revoked',
      'enabled',
      'disabled',
      'created',
    ]);
    expect(await keyward('events', id)).toContain('rotated');
    expect(await keyward('list')).toContain(id);
  });

  it('reports a failure on stderr with exit code 1', async () => {
    await keyward('show', 'key_missing');
    expect(stderr.join('')).toContain('api key not found');
    expect(process.exitCode).toBe(1);
    expect(closed).toBe(1);
  });

  it('rejects an invalid duration', async () => {
    await keyward('create', '--name', 'n', '--expires-in', 'soon');
    expect(stderr.join('')).toContain('--expires-in must be a whole number');
    expect(process.exitCode).toBe(1);
    expect(await fixture.service.list({ type: 'operator', name: 'cli' })).toEqual([]);
  });

  it('rejects an expiry past the year 9999 and stores no key', async () => {
    await keyward('create', '--json', '--name', 'far', '--expires-in', '99999999d');

    expect(stderr.join('')).toContain('expiresAt must be before the year 10000');
    expect(process.exitCode).toBe(1);
    expect(await fixture.service.list({ type: 'operator', name: 'cli' })).toEqual([]);
    expect(JSON.parse(await keyward('list', '--json'))).toEqual({ keys: [] });
  });
});
