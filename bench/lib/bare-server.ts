// The baseline of the HTTP benchmark: a bare Fastify route that returns a body of the same
// shape as GET /v1/me, with no authentication and no request logging. Its handler is
// synchronous like keyward's, which spares the promise of an async handler and makes this
// baseline about 3 % faster than the usual `async () => body`. `/v1/me/headers` sends
// keyward's security headers as well, which separates what those headers cost (on both ends:
// autocannon parses every header in JavaScript) from what keyward itself costs.
import Fastify from 'fastify';
import { apiHeaders } from '../../src/http/security-headers.js';

const app = Fastify({ logger: false });
const body = () => ({
  type: 'user',
  id: 'usr_bare',
  userId: 'usr_bare',
  scopes: ['keys:read'],
});
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/v1/me', body);
app.get(
  '/v1/me/headers',
  {
    onRequest: (_request, reply, done) => {
      reply.headers(apiHeaders);
      done();
    },
  },
  body,
);
const address = await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log(`server listening at ${address}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
