import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/apikeys/view.js';

const reference = (ms: number) => new Date(ms).toISOString();

describe('isoTime', () => {
  it('matches toISOString at the edges of its fast path and beyond', () => {
    const edges = [
      0, 1, 59_999, 60_000, 60_001, 999, 1000, 1_733_000_000_000, 253_402_300_799_999,
      253_402_300_800_000, -1, -60_001, 8.64e15, -8.64e15, 0.5, 1_733_000_000_123.9,
    ];
    for (const ms of edges) expect(isoTime(ms), String(ms)).toBe(reference(ms));
  });

  it('matches toISOString for any time in any order', () => {
    // Arbitrary order matters: the function keeps the text of the latest minute it saw.
    fc.assert(
      fc.property(fc.array(fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true })), (times) => {
        for (const ms of times) expect(isoTime(ms)).toBe(reference(ms));
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_300_000 })),
        (times) => {
          for (const ms of times) expect(isoTime(ms)).toBe(reference(ms));
        },
      ),
    );
  });

  it('raises as toISOString does for times out of range', () => {
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
