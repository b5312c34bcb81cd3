import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../../helpers/server-process.js';

/** A loopback TCP proxy that a test can cut and restore, to fake a database outage. */
export interface TcpProxy {
  port: number;
  /** Stops listening and resets every open connection, so connecting fails with ECONNREFUSED. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy from a free loopback port to `targetPort` on 127.0.0.1. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;

  function track(socket: Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  async function listen(): Promise<void> {
    server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      track(client);
      track(upstream);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  }

  async function cut(): Promise<void> {
    const closing = server && new Promise((resolve) => server!.close(resolve));
    server = undefined;
    for (const socket of sockets) socket.resetAndDestroy();
    await closing;
  }

  await listen();
  return { port, cut, restore: listen, close: cut };
}
