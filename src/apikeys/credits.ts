import type { ApiKeyRecord, RefillInterval } from './model.js';
import type { ApiKeyStore, CreditSpend } from './store.js';

const DAY_MS = 86_400_000;
// A rotated key hands its credits to its successor. A chain longer than this within one grace
// period is not followed.
const MAX_SUCCESSOR_HOPS = 3;

/** Start of the UTC day or UTC month that contains `now`, in epoch ms. */
export function refillPeriodStart(interval: RefillInterval, now: number): number {
  if (interval === 'day') {
    return Math.floor(now / DAY_MS) * DAY_MS;
  }
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * Spends `cost` credits of a key in the database, refilling first when a new period began.
 * Cost 0 spends nothing but passes only while at least one credit remains. When a rotated key
 * has none left, its successor's credits are spent, because rotation moved them there.
 */
export async function spendCredits(
  store: ApiKeyStore,
  record: ApiKeyRecord,
  cost: number,
  now: number,
): Promise<CreditSpend> {
  let target = record;
  for (let hop = 0; ; hop += 1) {
    const result = (await spendOnce(store, target, cost, now)) ?? { spent: false, remaining: 0 };
    if (result.spent || result.remaining > 0 || hop === MAX_SUCCESSOR_HOPS) {
      return result;
    }
    const successor = await store.findSuccessor(target.id);
    if (!successor?.credits) {
      return result;
    }
    target = successor;
  }
}

async function spendOnce(store: ApiKeyStore, record: ApiKeyRecord, cost: number, now: number) {
  const credits = record.credits!;
  const periodStart = credits.refill && refillPeriodStart(credits.refill.interval, now);
  const due = periodStart != null && (credits.refilledAt ?? Number.NEGATIVE_INFINITY) < periodStart;

  const result = await store.spendCredits(
    record.id,
    cost,
    Math.max(cost, 1),
    due ? periodStart : undefined,
  );
  if (due) {
    // The cached record remembers the refill, so later verifications skip the refill statement.
    credits.refilledAt = periodStart;
  }
  return result;
}
