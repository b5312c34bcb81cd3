import { describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/secrets/index.js';
import { hmacToken } from '../inspector/tokens.js';
import { mainEntry, mainEntryRuns, runCli } from './run.js';

// The other suites here run a test program with only these commands. This one checks that the
// real entry registers them too. It is skipped, with a printed reason, while the entry cannot run.
const runs = mainEntryRuns();
if (!runs) console.warn(`Skipping the ${mainEntry} checks: \`tsx ${mainEntry} --help\` fails.`);

describe.skipIf(!runs)('keyward CLI entry', () => {
  it('generates a secret as a .env line', async () => {
    const result = await runCli(mainEntry, ['secret', 'generate', '--env']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^KEYWARD_JWT_SECRET=[A-Za-z0-9_-]{43}\n$/);
  });

  it('checks a secret from stdin', async () => {
    const result = await runCli(mainEntry, ['secret', 'check', '--json'], {
      input: generateSecret(),
    });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'strong' });
  });

  it('audits a token', async () => {
    const { token } = await hmacToken({ secret: 'your-256-bit-secret' });
    const result = await runCli(mainEntry, ['token', 'audit', '-', '--json'], { input: token });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('"id":"weak_secret"');
  });
});
