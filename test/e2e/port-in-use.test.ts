import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer, testEnv } from '../helpers/server-process.js';

describe('port in use', () => {
  let first: ServerProcess | undefined;
  afterAll(async () => {
    await first?.stop();
  });

  it('exits 1 with a message that names PORT', async () => {
    first = await startServer({ env: testEnv() });
    const port = new URL(first.url).port;

    const second = startServer({ env: { ...testEnv(), PORT: port } });

    await expect(second).rejects.toThrow(/server exited with 1/);
    await expect(second).rejects.toThrow(
      `keyward: port ${port} on 127.0.0.1 is already in use. Stop the process that holds it, or set PORT to another port.`,
    );
  }, 60_000);
});
