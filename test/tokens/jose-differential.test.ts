// Cross-check with jose 6 under the same policy. keyward must never accept a token that jose
// rejects. It must accept every token jose accepts, unless the token breaks one of keyward's
// deliberately stricter rules, which docs/tokens.md lists and token-corpus.ts recognises.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKeywardError } from '../../src/errors/index.js';
import { createPair } from './helpers.js';
import { joseAccepts } from './jose-policy.js';
import {
  ALGORITHMS,
  buildToken,
  joseKey,
  keyring,
  segmentsAreCanonical,
  tokenSpec,
} from './token-corpus.js';

const { verify } = createPair(keyring);

const joseVerdict = (token: string) => joseAccepts(token, joseKey, ALGORITHMS);

function keywardVerdict(token: string): boolean {
  try {
    verify(token);
    return true;
  } catch (error) {
    if (!isKeywardError(error, 'invalid_token')) throw error;
    return false;
  }
}

/** Edits that keep or break a token: a flipped character, padding, swapped segments. */
const mutation = fc.oneof(
  fc.constant((token: string) => token),
  fc.constant((token: string) => token),
  fc.nat().map((index) => (token: string) => {
    const at = index % token.length;
    const replacement = token[at] === 'A' ? 'B' : 'A';
    return `${token.slice(0, at)}${replacement}${token.slice(at + 1)}`;
  }),
  fc.constantFrom(
    (token: string) => `${token}=`,
    (token: string) =>
      `${token.slice(0, -1)}${String.fromCharCode(token.charCodeAt(token.length - 1) ^ 1)}`,
    (token: string) => token.replace('.', '=.'),
    (token: string) => token.replace('.', ' .'),
    (token: string) => {
      const [head, payload, signature] = token.split('.');
      return `${payload}.${head}.${signature}`;
    },
  ),
);

describe('keyward against jose', () => {
  it('agrees on generated and mutated tokens, stricter only where documented', async () => {
    const tally = { bothAccept: 0, bothReject: 0, onlyJose: 0 };

    await fc.assert(
      fc.asyncProperty(tokenSpec, mutation, async (spec, mutate) => {
        const generated = buildToken(spec);
        const token = mutate(generated.token);
        const ours = keywardVerdict(token);
        const theirs = await joseVerdict(token);

        // We accept => jose accepts, for every token.
        if (ours) expect(theirs).toBe(true);
        // jose accepts => we accept, unless the token uses a feature keyward rejects on purpose.
        const stricter = generated.stricter || !segmentsAreCanonical(token);
        if (theirs && !stricter) expect(ours).toBe(true);

        if (ours && theirs) tally.bothAccept++;
        else if (!ours && !theirs) tally.bothReject++;
        else tally.onlyJose++;
      }),
      { numRuns: 3000 },
    );

    // The corpus must exercise both verdicts, or the property proves little.
    expect(tally.bothAccept).toBeGreaterThan(200);
    expect(tally.bothReject).toBeGreaterThan(1000);
  });

  it('accepts every unmutated token jose accepts when it has no stricter feature', async () => {
    let agreed = 0;
    await fc.assert(
      fc.asyncProperty(tokenSpec, async (spec) => {
        const generated = buildToken(spec);
        if (generated.stricter) return;
        expect(keywardVerdict(generated.token)).toBe(await joseVerdict(generated.token));
        agreed++;
      }),
      { numRuns: 1500 },
    );
    expect(agreed).toBeGreaterThan(300);
  });
});
