/** One function under measurement. `run` performs one operation. */
export interface Contender {
  name: string;
  run: () => unknown;
  /** Set when `run` returns a promise that must settle before the next operation. */
  async?: boolean;
}

export interface Measurement {
  name: string;
  /** Median of the rounds, in operations per second. */
  opsPerSecond: number;
  /** Each round's rate, in operations per second, in round order. */
  rounds: number[];
}

/** A measurement compared with the baseline round by round. */
export interface ComparedMeasurement extends Measurement {
  /** Median over rounds of this rate divided by the baseline's rate in the same round. */
  ratio: number;
}

export interface MeasureOptions {
  /** Rounds per contender; the median is reported. */
  rounds: number;
  /** Time each contender runs per round, in milliseconds. */
  roundMs: number;
}

/** Operations between clock reads: large enough that reading the clock costs almost nothing. */
const BATCH = 256;

/**
 * Measures contenders in alternating rounds and reports each one's median rate. The order
 * rotates every round, so a machine whose speed drifts over minutes slows every contender
 * alike instead of whichever happened to run last.
 */
export async function measureInterleaved(
  contenders: readonly Contender[],
  options: MeasureOptions,
): Promise<Measurement[]> {
  // One discarded round lets the JIT compile every contender before anything counts.
  for (const contender of contenders) await measureOnce(contender, options.roundMs);

  const rates = contenders.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    for (let offset = 0; offset < contenders.length; offset++) {
      const index = (round + offset) % contenders.length;
      rates[index]!.push(await measureOnce(contenders[index]!, options.roundMs));
    }
  }
  return contenders.map((contender, index) => ({
    name: contender.name,
    opsPerSecond: median(rates[index]!),
    rounds: rates[index]!,
  }));
}

/** Runs one contender for about `durationMs` and returns its rate in operations per second. */
async function measureOnce(contender: Contender, durationMs: number): Promise<number> {
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  let operations = 0;
  let now = start;
  while (now < deadline) {
    for (let index = 0; index < BATCH; index++) {
      if (contender.async) await contender.run();
      else contender.run();
    }
    operations += BATCH;
    now = process.hrtime.bigint();
  }
  return operations / (Number(now - start) / 1e9);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Divides each contender's rate by the baseline's rate of the same round and keeps the
 * median. Neighbouring runs share the machine's state, so this ratio drifts far less than
 * the ratio of two medians taken minutes apart.
 */
export function compareWithBaseline(
  results: readonly Measurement[],
  baseline: string,
): ComparedMeasurement[] {
  const reference = results.find((result) => result.name === baseline);
  if (!reference) throw new Error(`no measurement named ${baseline}`);
  return results.map((result) => ({
    ...result,
    ratio: median(result.rounds.map((rate, round) => rate / reference.rounds[round]!)),
  }));
}

/** Prints compared measurements as a table: median rate, paired ratio and the range of rates. */
export function printTable(results: readonly ComparedMeasurement[]): void {
  const width = Math.max(...results.map((result) => result.name.length));
  console.log(
    `${'contender'.padEnd(width)}  ${'ops/s'.padStart(10)}  ${'ratio'.padStart(6)}  range of rounds`,
  );
  for (const result of results) {
    const range = `${format(Math.min(...result.rounds))}-${format(Math.max(...result.rounds))}`;
    const columns = [
      format(result.opsPerSecond).padStart(10),
      result.ratio.toFixed(3).padStart(6),
      range,
    ];
    console.log(`${result.name.padEnd(width)}  ${columns.join('  ')}`);
  }
}

function format(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}
