import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

/**
 * A request logger that makes its pino child (with the request id) only when a line is
 * actually written. Most requests log nothing above the configured level, and building a child
 * per request cost a quarter of a bare route's throughput (bench/http.ts).
 */
class LazyChildLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.materialize().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.materialize().child(bindings, options);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  private write(level: Level, args: unknown[]): void {
    if (this.#child === undefined && !(this.parent as Logger).isLevelEnabled(level)) {
      return;
    }
    (this.materialize()[level] as (...values: unknown[]) => void)(...args);
  }

  private materialize(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }
}

/**
 * Returns a `childLoggerFactory` for Fastify whose request loggers are children of `logger`,
 * each made only when it writes. It ignores the parent that Fastify passes, so the request
 * loggers write to `logger` even when Fastify was given no logger of its own.
 */
export function lazyChildLoggerFactory(
  logger: Logger,
): (
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
) => FastifyBaseLogger {
  const parent = logger as unknown as FastifyBaseLogger;
  return (_parent, bindings, options) =>
    new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}
