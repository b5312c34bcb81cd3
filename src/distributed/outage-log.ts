import { summarizeError } from '../errors/summarize.js';
/** The subset of a pino logger that outage tracking uses. */
export interface OutageLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Names of one backing service in the log lines of its outages. */
export interface OutageNames {
  /** Service name in messages and event names, such as `redis` or `database`. */
  service: string;
}

/**
 * Tracks the connections to one backing service, so that an outage logs one warning with its
 * cause when the first connection fails, and one line when every failed connection is back.
 */
export interface OutageLog {
  /** Records a failure of connection `source`. Only the first failure of an outage is logged. */
  failed(source: string, error: unknown): void;
  /** Records that `source` works again; ends the outage once no connection is failing. */
  recovered(source: string): void;
  /** True from the first failure until every failed connection has recovered. */
  readonly failing: boolean;
}

/** Creates an outage log for `names.service`. `now` is the clock in epoch ms. */
export function createOutageLog(
  logger: OutageLogger,
  names: OutageNames,
  now: () => number = Date.now,
): OutageLog {
  const down = new Set<string>();
  let failingSince = 0;
  let failures = 0;

  return {
    failed(source, error) {
      failures += 1;
      const first = down.size === 0;
      down.add(source);
      if (!first) return;

      failingSince = now();
      const event = `${names.service}.unavailable`;
      logger.warn({ event, source, err: summarizeError(error) }, `${names.service} unavailable`);
    },
    recovered(source) {
      if (!down.delete(source) || down.size > 0) return;

      const event = `${names.service}.recovered`;
      const downtimeMs = now() - failingSince;
      logger.info({ event, source, downtimeMs, failures }, `${names.service} available again`);
      failures = 0;
    },
    get failing() {
      return down.size > 0;
    },
  };
}
