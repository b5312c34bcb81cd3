import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../src/tokens/base64url.js';
import { countTopLevelMembers, hasDuplicateMember } from '../../src/tokens/json-object.js';
import { segmentsAreCanonical } from './token-corpus.js';

/** Spells a member name with every UTF-16 code unit as a \u escape. */
const escaped = (name: string) =>
  `"${name
    .split('')
    .map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('')}"`;

const objects = fc.dictionary(
  fc.string({ maxLength: 8, unit: 'binary' }),
  fc.jsonValue({ maxDepth: 3 }),
  {
    minKeys: 1,
    maxKeys: 8,
  },
);

describe('duplicate member detection', () => {
  it('counts top-level members around nested values and tricky strings', () => {
    expect(countTopLevelMembers('{}')).toBe(0);
    expect(countTopLevelMembers(' { } ')).toBe(0);
    expect(countTopLevelMembers('{"a":1}')).toBe(1);
    expect(countTopLevelMembers('{"a,b":"c,d","e":[1,2,{"f":3,"g":4}]}')).toBe(2);
    expect(countTopLevelMembers('{"a":"\\\\","b":"\\"","c":"\\\\\\""}')).toBe(3);
    expect(countTopLevelMembers('{"{":"[","}":"]"}')).toBe(2);
  });

  it('finds no duplicate in any serialised object', () => {
    fc.assert(
      fc.property(objects, (object) => {
        const text = JSON.stringify(object);
        expect(hasDuplicateMember(text, Object.keys(JSON.parse(text)).length)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('finds a repeated name, plain or escaped, anywhere in the object', () => {
    fc.assert(
      fc.property(
        objects,
        fc.nat(),
        fc.boolean(),
        fc.jsonValue({ maxDepth: 2 }),
        (object, pick, useEscapes, value) => {
          const names = Object.keys(object);
          const name = names[pick % names.length]!;
          const spelled = useEscapes ? escaped(name) : JSON.stringify(name);
          const text = `{${spelled}:${JSON.stringify(value)},${JSON.stringify(object).slice(1)}`;
          expect(hasDuplicateMember(text, Object.keys(JSON.parse(text)).length)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('canonical base64url', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64url');
        expect(decodeBase64url(text)).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('accepts exactly the strings an independent canonical check accepts', () => {
    const chars = fc.constantFrom(...'AQgw-_Zz09+/= \n.é'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 12 }), (text) => {
        const canonical = !text.includes('.') && segmentsAreCanonical(text);
        expect(decodeBase64url(text) !== undefined).toBe(canonical);
      }),
      { numRuns: 3000 },
    );
  });
});
