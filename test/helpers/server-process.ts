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

/** Makes a temporary folder for one test's database and generated secrets. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'keyward-test-'));
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

/** Starts the server and resolves once it logs that it listens. */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const [command, ...args] = options.command ?? ['npx', 'tsx', 'src/cli/main.ts', 'serve'];
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'test', ...options.env };
  const child = spawn(command!, args, { cwd: options.cwd ?? process.cwd(), env, stdio: 'pipe' });
  const output: string[] = [];
  const url = `http://127.0.0.1:${port}`;

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('\n')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        output.push(line);
        if (line.includes('server listening')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join('\n')}`));
    });
  });

  return {
    url,
    output,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
