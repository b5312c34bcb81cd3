import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { buildServer } from '../http/server.js';
import { type AppContext, createAppContext } from './context.js';

/**
 * Maximum shutdown time, in milliseconds. Requests in flight, the flush of batched writes and
 * the closing of pools and Redis connections must all finish within it, or the process exits 1.
 */
const shutdownGraceMs = 10_000;

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
  closeConnectionsAfterResponse(app);
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
    // Fastify stops listening, returns 503 to requests that arrive on open connections, and
    // resolves once every request in flight has its response.
    await app.close();
    await context.close();
    logger.info({ event: 'server.stopped' }, 'server stopped');
  } catch (error) {
    logger.error({ event: 'server.stop_failed', err: error }, 'shutdown failed');
    exitCode = 1;
  }
  // A handle that some library leaves open must not keep a stopped server alive.
  process.exit(exitCode);
}

/**
 * Fastify's close waits for every connection to end, and sends `Connection: close` on responses
 * to requests that arrive while it closes. A response already in progress when the stop began was sent
 * with keep-alive, so its connection would stay open until the client's idle timeout; this ends
 * each such connection as soon as its response has been written. The channel is subscribed
 * only now, so requests served before the stop pay nothing for it.
 */
function closeConnectionsAfterResponse(app: FastifyInstance): void {
  subscribe('http.server.response.finish', (message) => {
    const { server, socket } = message as { server: unknown; socket: Socket };
    if (server === app.server) socket.end();
  });
}
