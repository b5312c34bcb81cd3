// Launching Debian's chromium and serving the page for the browser tests.

import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { pageRoutes } from '../../src/http/routes/page.js';
import { mainEntry } from '../cli-tools/run.js';
import { startServer, tempDataDir } from '../helpers/server-process.js';

export const chromiumPath = '/usr/bin/chromium';

// No GPU, QUIC or background traffic: the browser itself must not reach the network either.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches chromium, or returns why it cannot. playwright-core gives every launch a fresh
 * temporary user-data-dir and removes it on close.
 */
export async function launchChromium(): Promise<Browser | string> {
  if (!existsSync(chromiumPath)) return `${chromiumPath} is missing (apt-get install -y chromium)`;
  try {
    return await chromium.launch({
      executablePath: chromiumPath,
      args: chromiumArgs,
      timeout: 30_000,
    });
  } catch (error) {
    return `chromium did not start: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** A running server that serves the page, and how to stop it. */
export interface PageServer {
  url: string;
  /** `keyward serve` when the CLI entry runs, otherwise a Fastify instance with pageRoutes. */
  kind: 'keyward serve' | 'fastify with pageRoutes';
  stop(): Promise<unknown>;
}

/**
 * Starts the real server (`keyward serve` on a fresh SQLite file) when the CLI entry exists,
 * else a minimal Fastify server with pageRoutes.
 */
export async function startPageServer(): Promise<PageServer> {
  if (existsSync(mainEntry)) {
    const env = {
      KEYWARD_DATABASE_URL: `sqlite:${join(tempDataDir(), 'k.db')}`,
      // The helper waits for the "server listening" line, which is logged at info.
      KEYWARD_LOG_LEVEL: 'info',
    };
    const server = await startServer({ env });
    return { url: server.url, kind: 'keyward serve', stop: server.stop };
  }

  const app = Fastify();
  await app.register(pageRoutes);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    kind: 'fastify with pageRoutes',
    stop: () => app.close(),
  };
}
