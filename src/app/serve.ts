import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { closeConnectionsAfterResponses } from '../http/draining.js';
import { buildServer } from '../http/server.js';
import { type AppContext, createAppContext } from './context.js';

/**
 * Maximum shutdown time, in milliseconds. Requests in flight, the flush of batched writes and
 * the closing of pools and Redis connections must all finish within it, or the process exits 1.
 */
const shutdownGraceMs = 10_000;

/**
 * How long requests in flight may run after a stop begins, in milliseconds. Connections still
 * open then are destroyed, including ones that never sent a request, which Node does not count
 * as idle and which would otherwise hold the stop until the grace period runs out.
 */
const drainTimeoutMs = 5000;

/**
 * Starts the HTTP service and stops it cleanly on SIGTERM or SIGINT. The listener closes, so
 * no new connections are accepted, and requests in flight finish. Then batched writes are
 * flushed and pools and Redis connections closed. The process exits 0 after a clean stop, and
 * 1 when stopping failed or took longer than the grace period.
 */
export async function serve(config: Readonly<Config>, logger: Logger): Promise<void> {
  const context = await createAppContext(config, logger);
  const app = await buildServer(context.services, logger);
  let stopping = false;
  const address = await listenOrClose(app, context, config);
  logger.info(
    { event: 'server.started', url: address, nodeEnv: config.nodeEnv },
    'server listening',
  );

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void stop(app, context, logger, signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** Listens; when that fails (say, the port is taken), closes pools and Redis before raising. */
async function listenOrClose(
  app: FastifyInstance,
  context: AppContext,
  config: Readonly<Config>,
): Promise<string> {
  try {
    return await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await context.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `port ${config.port} on ${config.host} is already in use. Stop the process that holds it, or set PORT to another port.`,
        { cause: error },
      );
    }
    throw error;
  }
}

async function stop(
  app: FastifyInstance,
  context: AppContext,
  logger: Logger,
  signal: NodeJS.Signals,
): Promise<void> {
  logger.info({ event: 'server.stopping', signal }, 'server stopping');
  // Responses from now on close their connections, those of requests already running too.
  closeConnectionsAfterResponses();
  const drainTimer = setTimeout(() => {
    logger.warn(
      { event: 'server.drain_timed_out', drainTimeoutMs },
      'closing connections still open after the drain timeout',
    );
    app.server.closeAllConnections();
  }, drainTimeoutMs);
  drainTimer.unref();
  const timer = setTimeout(() => {
    logger.error(
      { event: 'server.stop_timed_out', graceMs: shutdownGraceMs },
      'shutdown timed out',
    );
    process.exit(1);
  }, shutdownGraceMs);
  timer.unref();

  let exitCode = 0;
  try {
    // Fastify stops listening, serves requests that arrive on open connections, and resolves
    // once every connection has closed.
    await app.close();
    clearTimeout(drainTimer);
    await context.close();
    logger.info({ event: 'server.stopped' }, 'server stopped');
  } catch (error) {
    logger.error({ event: 'server.stop_failed', err: error }, 'shutdown failed');
    exitCode = 1;
  }
  // A handle that some library leaves open must not keep a stopped server alive.
  process.exit(exitCode);
}
