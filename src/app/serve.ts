import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { buildServer } from '../http/server.js';
import { createAppContext } from './context.js';

/** Requests in flight get this long to finish at shutdown, in milliseconds. */
const shutdownGraceMs = 10_000;

/**
 * Starts the HTTP service and stops it cleanly on SIGTERM or SIGINT: no new connections,
 * requests in flight finished (up to the grace period), batched writes flushed, pools closed.
 */
export async function serve(config: Readonly<Config>, logger: Logger): Promise<void> {
  const context = await createAppContext(config, logger);
  const app = await buildServer(context.services, logger);
  const address = await app.listen({ port: config.port, host: config.host });
  logger.info({ event: 'server.started', url: address, nodeEnv: config.nodeEnv }, 'server listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'server.stopping', signal }, 'server stopping');
    const timer = setTimeout(() => {
      logger.error({ event: 'server.stop_timed_out' }, 'shutdown timed out; exiting');
      process.exit(1);
    }, shutdownGraceMs);
    timer.unref();
    try {
      await app.close();
      await context.close();
      logger.info({ event: 'server.stopped' }, 'server stopped');
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exitCode = 1;
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
