import { KeywardError } from '../errors/index.js';

/** One problem with one variable: its name and what to do. Never contains the value of a secret. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Collects problems while variables are read, so start-up reports all of them at once. */
export class VariableReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  /** Returns the trimmed value, or undefined for an unset or empty variable. */
  string(name: string): string | undefined {
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
