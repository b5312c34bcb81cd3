// Detection of the patterns that make a secret guessable: repeats, sequences, keyboard walks and
// dictionary words. Each match carries the bits an attacker needs to guess it given its kind,
// which the estimator charges in place of the characters it covers.

import { dictionaryWords, longestWordLength } from './dictionary.js';

export type PatternKind = 'repeat' | 'sequence' | 'keyboard' | 'dictionary';

/** A pattern found at characters [start, end) of a secret. */
export interface PatternMatch {
  kind: PatternKind;
  start: number;
  end: number;
  /** For a repeat, the length of the repeated unit in characters. */
  period?: number;
  /** Bits to guess this stretch knowing its kind, before any repeat unit cost is added. */
  bits: number;
}

/** Repeated units longer than this many characters are not searched for, to bound the scan. */
const maxRepeatPeriod = 64;

const keyboardRows = ['`1234567890-=', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./'];

/** Key positions on a US QWERTY layout, as [row, column]. */
const keyPositions = new Map<string, [number, number]>(
  keyboardRows.flatMap((row, r) =>
    [...row].map((key, c): [string, [number, number]] => [key, [r, c]]),
  ),
);

// Undoing common leetspeak lets `p4ssw0rd` match `password`.
const leetSubstitutions: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
};

/** Finds every repeat, sequence, keyboard walk and dictionary word in a secret. */
export function findPatterns(secret: string): PatternMatch[] {
  return [
    ...findRepeats(secret),
    ...findRuns(secret, 'sequence', isSequenceStep),
    ...findRuns(asciiLowerCase(secret), 'keyboard', isKeyboardStep),
    ...findWords(secret),
  ];
}

/**
 * Finds, at each start, the period whose repetition covers the most characters, when the unit
 * appears at least twice and the stretch is at least three characters (`aaa`, `abab`).
 */
function findRepeats(secret: string): PatternMatch[] {
  const matches: PatternMatch[] = [];
  for (let start = 0; start < secret.length; start++) {
    const best = longestRepeatAt(secret, start);
    if (best) matches.push(best);
  }
  return matches;
}

function longestRepeatAt(secret: string, start: number): PatternMatch | undefined {
  let best: PatternMatch | undefined;
  const maxPeriod = Math.min(maxRepeatPeriod, Math.floor((secret.length - start) / 2));
  for (let period = 1; period <= maxPeriod; period++) {
    let end = start + period;
    while (end < secret.length && secret[end] === secret[end - period]) end++;
    const count = Math.floor((end - start) / period);
    const length = count * period;
    if (count < 2 || length < 3 || (best && length <= best.end - best.start)) continue;
    best = { kind: 'repeat', start, end: start + length, period, bits: Math.log2(count) };
    if (end === secret.length) break;
  }
  return best;
}

/** Finds maximal runs of four or more characters in which each step passes `isStep`. */
function findRuns(
  secret: string,
  kind: 'sequence' | 'keyboard',
  isStep: (previous: string, current: string, before?: string) => boolean,
): PatternMatch[] {
  const matches: PatternMatch[] = [];
  let start = 0;
  for (let i = 1; i <= secret.length; i++) {
    const before = i - 2 >= start ? secret[i - 2] : undefined;
    if (i < secret.length && isStep(secret[i - 1]!, secret[i]!, before)) continue;
    if (i - start >= 4) matches.push(runMatch(kind, start, i));

    // The step that broke this run may begin the next one.
    start = i < secret.length && isStep(secret[i - 1]!, secret[i]!) ? i - 1 : i;
  }
  return matches;
}

// The start character (about 6 bits), the direction or shape (2 bits) and the length.
function runMatch(kind: 'sequence' | 'keyboard', start: number, end: number): PatternMatch {
  return { kind, start, end, bits: 6 + 2 + Math.log2(end - start) };
}

/** Steps by +1, -1, +2 or -2 code points, the same step as the one before it (abcd, 9753). */
function isSequenceStep(previous: string, current: string, before?: string): boolean {
  const step = current.charCodeAt(0) - previous.charCodeAt(0);
  if (step === 0 || Math.abs(step) > 2) return false;
  return before === undefined || previous.charCodeAt(0) - before.charCodeAt(0) === step;
}

/** Moves to a neighbouring key on the same row or the rows above and below (qwer, 1qaz). */
function isKeyboardStep(previous: string, current: string): boolean {
  const a = keyPositions.get(previous);
  const b = keyPositions.get(current);
  if (!a || !b || previous === current) return false;
  return Math.abs(a[0] - b[0]) <= 1 && Math.abs(a[1] - b[1]) <= 1;
}

/** Finds dictionary words, ignoring case and common leetspeak substitutions. */
function findWords(secret: string): PatternMatch[] {
  const lower = asciiLowerCase(secret);
  const plain = lower.replace(/[0134578@$!]/g, (c) => leetSubstitutions[c] ?? c);
  const matches: PatternMatch[] = [];
  for (let start = 0; start < plain.length; start++) {
    for (let end = start + 4; end <= Math.min(plain.length, start + longestWordLength); end++) {
      if (!dictionaryWords.has(plain.slice(start, end))) continue;
      // One bit for capitals and one for substitutions, the variations an attacker tries first.
      const capitals = lower.slice(start, end) !== secret.slice(start, end) ? 1 : 0;
      const leet = plain.slice(start, end) !== lower.slice(start, end) ? 1 : 0;
      matches.push({
        kind: 'dictionary',
        start,
        end,
        bits: Math.log2(dictionaryWords.size) + capitals + leet,
      });
    }
  }
  return matches;
}

// Lowercasing only ASCII keeps every index equal to the one in the original secret.
function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
