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

export interface LoggerOptions {
  level: string;
  /** Where log lines go; stdout when omitted. Tests pass a capturing stream. */
  destination?: DestinationStream;
  pretty?: boolean;
}

/** Creates the process logger: JSON lines, with every field that can hold a secret redacted. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'keyward' },
  };
  if (options.pretty && !options.destination) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}
