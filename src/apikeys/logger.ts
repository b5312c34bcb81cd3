/** The subset of a pino logger that the API key service uses. */
export interface ApiKeyLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A logger that drops everything, for callers that pass none. */
export const silentLogger: ApiKeyLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
