// The entropy estimate behind checkSecretStrength. It is a guess at the work an attacker needs,
// meant to err low: a pattern is always charged at its cheapest plausible cost.
//
// Method: each character is credited bitsPerCharacter (the alphabet's log2 size for hex and
// base64 text, otherwise the Shannon entropy of the secret's characters capped by the alphabet).
// Then a shortest-path pass over the characters chooses, for every stretch that a repeat,
// sequence, keyboard walk or dictionary word covers, the cheaper of crediting its characters one
// by one or charging the pattern's own guessing cost. The estimate is the cheapest total.

import { bitsPerCharacter, detectAlphabet, type SecretAlphabet } from './alphabet.js';
import { findPatterns, type PatternKind, type PatternMatch } from './patterns.js';

/**
 * Characters beyond this many are credited nothing, which bounds the work on pasted text and
 * keeps the estimate low, since 512 random characters already carry far more than 128 bits.
 */
export const maxAnalysedLength = 512;

export interface EntropyEstimate {
  /** Estimated entropy in bits, not rounded. */
  bits: number;
  alphabet: SecretAlphabet;
  /** Kinds of pattern that lowered the estimate. */
  patterns: PatternKind[];
  /** Fraction (0 to 1) of the analysed characters that those patterns cover. */
  patternCoverage: number;
}

interface Cover {
  bits: number;
  used: PatternMatch[];
}

/** Estimates the entropy of a secret in bits by the method described at the top of this file. */
export function estimateEntropy(secret: string): EntropyEstimate {
  const alphabet = detectAlphabet(secret);
  // Base64 padding carries no entropy.
  const unpadded = alphabet.name === 'base64' ? secret.replace(/=+$/, '') : secret;
  const analysed = unpadded.slice(0, maxAnalysedLength);
  const perCharacter = bitsPerCharacter(secret, alphabet);
  const cover = cheapestCover(analysed, perCharacter, new Map());
  // Encoded bytes carry at most 8 bits each: 43 base64url characters hold 32 bytes, not 258 bits.
  const byteLimit =
    alphabet.name === 'text' ? Infinity : Math.floor((analysed.length * perCharacter) / 8) * 8;

  const covered = cover.used.reduce((sum, match) => sum + match.end - match.start, 0);
  return {
    bits: Math.min(cover.bits, byteLimit),
    alphabet,
    patterns: [...new Set(cover.used.map((match) => match.kind))],
    patternCoverage: analysed.length === 0 ? 0 : covered / analysed.length,
  };
}

/**
 * Finds the cheapest way to account for every character: `best[i]` is the cost of the first i
 * characters, built from `best[i - 1]` plus one character or from a pattern ending at i.
 */
function cheapestCover(text: string, perCharacter: number, unitCosts: Map<string, number>): Cover {
  const matchesByEnd = groupByEnd(findPatterns(text), text.length);
  const best: number[] = [0];
  const choice: (PatternMatch | undefined)[] = [undefined];

  for (let i = 1; i <= text.length; i++) {
    best[i] = best[i - 1]! + characterBits(text, i - 1, perCharacter);
    choice[i] = undefined;
    for (const match of matchesByEnd[i] ?? []) {
      const cost = best[match.start]! + matchBits(text, match, perCharacter, unitCosts);
      if (cost < best[i]!) {
        best[i] = cost;
        choice[i] = match;
      }
    }
  }

  return { bits: best[text.length]!, used: collectChoices(choice) };
}

// The second half of a surrogate pair adds nothing, so an emoji counts as one character.
function characterBits(text: string, index: number, perCharacter: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? 0 : perCharacter;
}

// A repeat costs its unit (itself estimated the same way) plus the number of repetitions.
function matchBits(
  text: string,
  match: PatternMatch,
  perCharacter: number,
  unitCosts: Map<string, number>,
): number {
  if (match.kind !== 'repeat' || match.period === undefined) return match.bits;
  const unit = text.slice(match.start, match.start + match.period);
  let unitBits = unitCosts.get(unit);
  if (unitBits === undefined) {
    unitBits = cheapestCover(unit, perCharacter, unitCosts).bits;
    unitCosts.set(unit, unitBits);
  }
  return unitBits + match.bits;
}

function groupByEnd(matches: PatternMatch[], length: number): PatternMatch[][] {
  const groups: PatternMatch[][] = Array.from({ length: length + 1 }, () => []);
  for (const match of matches) groups[match.end]!.push(match);
  return groups;
}

function collectChoices(choice: (PatternMatch | undefined)[]): PatternMatch[] {
  const used: PatternMatch[] = [];
  let i = choice.length - 1;
  while (i > 0) {
    const match = choice[i];
    if (match) used.push(match);
    i = match ? match.start : i - 1;
  }
  return used.reverse();
}
