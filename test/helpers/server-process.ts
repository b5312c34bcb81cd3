import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A keyward server running as a child process. */
export interface ServerProcess {
  url: string;
  /** Every line the process wrote to stdout and stderr so far. */
  output: string[];
  child: ChildProcess;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  /** Extra environment; PORT, HOST and a temporary SQLite database are set unless given. */
  env?: Record<string, string>;
  /** Command to run instead of the CLI entry, such as ['npm', 'start']. */
  command?: string[];
  cwd?: string;
}

/** Returns a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/**
 * Makes a temporary folder for one test's database and generated secrets, inside the run's
 * folder that test/global-setup.ts removes at the end (or the system temp folder outside vitest).
 */
export function tempDataDir(): string {
  return mkdtempSync(join(process.env.KEYWARD_TEST_TMP ?? tmpdir(), 'keyward-test-'));
}

/** Environment for a test server: a fresh SQLite file and generated secrets. */
export function testEnv(dataDir = tempDataDir()): Record<string, string> {
  return {
    KEYWARD_DATABASE_URL: `sqlite:${join(dataDir, 'keyward.db')}`,
    KEYWARD_JWT_SECRET: randomBytes(32).toString('base64url'),
    KEYWARD_API_KEY_PEPPER: randomBytes(32).toString('base64url'),
    KEYWARD_LOG_LEVEL: 'info',
  };
}

/** Starts the server and resolves once `GET /healthz` succeeds, whatever the log level. */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  // Node itself, not npx: a wrapper process would take the SIGTERM meant for the server.
  const [command, ...args] = options.command ?? [
    process.execPath,
    '--import',
    'tsx',
    'src/cli/main.ts',
    'serve',
  ];
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    ...options.env,
  };
  // A process group of its own, so stopping reaches the server behind wrappers such as npm.
  const child = spawn(command!, args, {
    cwd: options.cwd ?? process.cwd(),
    env,
    stdio: 'pipe',
    detached: true,
  });
  const output: string[] = [];
  const url = `http://127.0.0.1:${port}`;

  child.stdout.on('data', (chunk: Buffer) => collectLines(chunk, output));
  child.stderr.on('data', (chunk: Buffer) => collectLines(chunk, output));
  await waitForHealth(url, child, output);

  return {
    url,
    output,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        // A server that ignores SIGTERM is killed after 20 s and reported with a null code.
        const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), 20_000);
        child.once('exit', (code) => {
          clearTimeout(killer);
          // npm exits before its child: give the rest of the group a moment, then end it.
          setTimeout(() => signalGroup(child, 'SIGKILL'), 2_000).unref();
          resolve(code);
        });
        signalGroup(child, 'SIGTERM');
      }),
  };
}

function collectLines(chunk: Buffer, output: string[]): void {
  output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
}

async function waitForHealth(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}:\n${output.join('\n')}`);
    }
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start within 60 s:\n${output.join('\n')}`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group has exited already.
  }
}
