// The baseline of the HTTP benchmark: a bare Fastify route that returns a body of the same
// shape as GET /v1/me, with no authentication and no request logging.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/v1/me', async () => ({
  type: 'user',
  id: 'usr_bare',
  userId: 'usr_bare',
  scopes: ['keys:read'],
}));
const address = await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log(`server listening at ${address}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
