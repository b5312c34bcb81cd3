import { type IncomingMessage, ServerResponse } from 'node:http';

/**
 * The switch that a stopping server turns on, and the response class that reads it. Once
 * `drain()` is called, every response whose headers are not yet written carries
 * `Connection: close`, and Node closes its connection after it. That includes responses to
 * requests that were already running when the stop began, so a keep-alive client learns from
 * the response itself not to send another request on that connection.
 */
export interface DrainSignal {
  /** The ServerResponse class for `http.createServer`, through Fastify's `http` option. */
  readonly responseClass: typeof ServerResponse;
  readonly draining: boolean;
  drain(): void;
}

export function createDrainSignal(): DrainSignal {
  let draining = false;

  class DrainingResponse<
    Request extends IncomingMessage = IncomingMessage,
  > extends ServerResponse<Request> {
    // Every path that sends headers goes through writeHead, the implicit one included.
    override writeHead(...args: unknown[]): this {
      if (draining && !this.headersSent) this.setHeader('connection', 'close');
      return (super.writeHead as (...headArgs: unknown[]) => this)(...args);
    }
  }

  return {
    responseClass: DrainingResponse,
    get draining() {
      return draining;
    },
    drain() {
      draining = true;
    },
  };
}
