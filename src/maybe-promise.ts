/**
 * A value, or a promise of it when producing it needed I/O. The request path returns the value
 * itself whenever it can (a cached API key, an in-memory rate limit), because each promise
 * between the request and its response costs an allocation and a microtask. Callers that only
 * `await` the result need not care which they get.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Applies `next` to a value at once, or once its promise settles. A throw from `next` on a plain
 * value propagates synchronously, so a caller that raises only through rejections must catch it.
 */
export function andThen<T, U>(
  value: MaybePromise<T>,
  next: (resolved: T) => MaybePromise<U>,
): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
