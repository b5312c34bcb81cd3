import { ServerResponse } from 'node:http';

let draining = false;

/**
 * Makes every HTTP response of this process whose headers are not yet written carry
 * `Connection: close`, so Node closes its connection after it. It covers responses to
 * requests that were already running when the stop began, so a keep-alive client learns from
 * the response itself not to send another request on that connection. Node has no public
 * switch for this, so ServerResponse.prototype.writeHead is wrapped. That is done only once
 * the process is stopping: a ServerResponse subclass given to the server from the start cost
 * 17 % more server CPU per request (bench/http.ts), because Node's hot paths then see two
 * classes. Every path that sends headers goes through writeHead, the implicit one included.
 */
export function closeConnectionsAfterResponses(): void {
  if (draining) return;
  draining = true;
  const writeHead = ServerResponse.prototype.writeHead;
  ServerResponse.prototype.writeHead = function writeHeadThenClose(
    this: ServerResponse,
    ...args: unknown[]
  ) {
    if (!this.headersSent) this.setHeader('connection', 'close');
    return (writeHead as (...headArgs: unknown[]) => ServerResponse).apply(this, args);
  } as typeof writeHead;
}
