import pino, { type DestinationStream, type Logger } from 'pino';

const secretFields = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'key',
  'plaintextKey',
  'apiKey',
  'secret',
  'pepper',
  'authorization',
  'cookie',
  'x-api-key',
  'set-cookie',
];

// pino's `*` matches one level, so each field is listed at the depths where it can appear:
// at the top, inside one object (`body.password`) and inside two (`req.headers.authorization`).
const redactPaths = secretFields.flatMap((field) => {
  const key = /^[A-Za-z_]\w*$/.test(field) ? field : `["${field}"]`;
  const join = key.startsWith('[') ? '' : '.';
  return [key, `*${join}${key}`, `*.*${join}${key}`];
});

// Credentials that clients put in URLs by mistake: API keys, JWTs and whole query strings
// (`?api_key=…`, `?access_token=…`). Logged URLs keep the path shape and lose these.
const apiKeyInPath = /kw_[a-z]+_[A-Za-z0-9]+/g;
const jwtInPath = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
// A run of 32 or more base64url characters is a secret, such as a refresh token (43), since
// keyward's ids are shorter (26 at most).
const longTokenInPath = /[A-Za-z0-9_-]{32,}/g;
// The user and password of an absolute-form request target (`GET http://ada:pw@host/ HTTP/1.1`).
const userInfo = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/;

/** Returns a URL safe to log: no query string, user or password, and no key or token inside the path. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : `${url.slice(0, queryStart)}?[redacted]`;
  return path
    .replace(userInfo, '$1[redacted]@')
    .replace(apiKeyInPath, '[redacted]')
    .replace(jwtInPath, '[redacted]')
    .replace(longTokenInPath, '[redacted]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

export interface LoggerOptions {
  level: string;
  /** Destination of log lines; stdout when omitted. Tests pass a capturing stream. */
  destination?: DestinationStream;
  pretty?: boolean;
}

/** Creates the process logger: JSON lines, with every field that can hold a secret redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactUrl(request.url ?? ''),
        remoteAddress: request.ip ?? request.socket?.remoteAddress,
      }),
      // Fastify logs its reply object under `res`; only the status is wanted, and the reply
      // links to the request with its headers. Fastify adds this serializer to a logger it is
      // given, but the request loggers write to this logger even when Fastify has none.
      res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
    },
    base: { service: 'keyward' },
  };
  if (options.pretty && !options.destination) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}
