import { KeywardError } from '../errors/index.js';

/** One problem with one variable: its name and what to do. Never contains the value of a secret. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Collects problems while variables are read, so start-up reports all of them at once. */
export class VariableReader {
  readonly problems: ConfigProblem[] = [];
  /** Every variable name read so far, set or not. */
  readonly names = new Set<string>();

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** Returns the trimmed value, or undefined for an unset or empty variable. */
  string(name: string): string | undefined {
    this.names.add(name);
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.string(name);
    if (text === undefined) {
      return fallback;
    }
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      this.problem(name, `must be a whole number from ${min} to ${max}, got "${text}"`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const text = this.string(name);
    if (text === undefined) {
      return fallback;
    }
    if (!(choices as readonly string[]).includes(text)) {
      this.problem(name, `must be one of ${choices.join(', ')}, got "${text}"`);
      return fallback;
    }
    return text as T;
  }

  /** Runs a parser on the value; a KeywardError it raises becomes a problem of this variable. */
  parsed<T>(name: string, parse: (text: string) => T, fallback: T, secret = false): T {
    const text = this.string(name);
    if (text === undefined) {
      return fallback;
    }
    try {
      return parse(text);
    } catch (error) {
      const detail = error instanceof KeywardError ? (error.details.detail ?? error.message) : '';
      this.problem(
        name,
        secret ? `is not valid: ${detail}` : `is not valid ("${text}"): ${detail}`,
      );
      return fallback;
    }
  }

  problem(variable: string, message: string): void {
    this.problems.push({ variable, message });
  }
}

/** Error raised for invalid settings in the environment. Its message lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `invalid configuration:\n${problems.map((p) => `  ${p.variable} ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Lists the variables of `env` that start with `prefix` but were never read, each with the read
 * name closest to it when that is at most three edits away, as the likely intended spelling.
 */
export function unreadVariables(
  env: Readonly<Record<string, string | undefined>>,
  read: VariableReader,
  prefix: string,
): { variable: string; suggestion?: string }[] {
  const known = [...read.names].filter((name) => name.startsWith(prefix));
  return Object.keys(env)
    .filter((name) => name.startsWith(prefix) && !read.names.has(name))
    .sort()
    .map((variable) => {
      let best: { name: string; distance: number } | undefined;
      for (const name of known) {
        const distance = editDistance(variable, name);
        if (distance <= 3 && (best === undefined || distance < best.distance)) {
          best = { name, distance };
        }
      }
      return best ? { variable, suggestion: best.name } : { variable };
    });
}

/** Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
