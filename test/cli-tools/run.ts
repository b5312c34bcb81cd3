import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The test program with only the secret and token commands. */
export const fixtureEntry = 'test/cli-tools/program.ts';

/** The real CLI entry. */
export const mainEntry = 'src/cli/main.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// tsx from node_modules/.bin is what `npx tsx` runs, without npx's start-up cost per call.
const tsx = join(process.cwd(), 'node_modules/.bin/tsx');

// An empty working folder keeps a developer's .env out of the commands' environment.
const emptyFolder = mkdtempSync(join(tmpdir(), 'keyward-cli-'));

/** Runs a CLI entry with arguments, optional stdin and extra environment. */
export function runCli(
  entry: string,
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const name of ['KEYWARD_JWT_SECRET', 'KEYWARD_JWT_PREVIOUS_SECRETS']) {
    if (options.env?.[name] === undefined) delete env[name];
  }
  const child = spawn(tsx, [join(process.cwd(), entry), ...args], {
    cwd: emptyFolder,
    env,
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdin.end(options.input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Tells whether the real CLI entry starts, which it does once every command module exists. */
export function mainEntryRuns(): boolean {
  const result = spawnSync(tsx, [mainEntry, '--help'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0;
}
