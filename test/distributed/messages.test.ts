import { describe, expect, it } from 'vitest';
import { chunkIds, decodeMessage, encodeMessage } from '../../src/distributed/messages.js';

describe('invalidation messages', () => {
  it('round-trips origin and ids', () => {
    const text = encodeMessage('origin-1', ['key_abc', 'key_def']);

    expect(decodeMessage(text)).toEqual({ origin: 'origin-1', ids: ['key_abc', 'key_def'] });
  });

  it('splits long id lists into messages of 100', () => {
    const ids = Array.from({ length: 250 }, (_, index) => `ses_${index}`);
    const chunks = chunkIds(ids);

    expect(chunks.map((chunk) => chunk.length)).toEqual([100, 100, 50]);
    expect(chunks.flat()).toEqual(ids);
  });

  it.each([
    ['not JSON', '{'],
    ['a JSON string', '"key_abc"'],
    ['null', 'null'],
    ['a missing origin', '{"ids":["key_abc"]}'],
    ['ids that are not a list', '{"origin":"o","ids":"key_abc"}'],
    ['no valid id', '{"origin":"o","ids":[1,"../etc","key_"]}'],
  ])('rejects %s', (_case, text) => {
    expect(decodeMessage(text)).toBeUndefined();
  });

  it('keeps only well-formed ids', () => {
    const text = JSON.stringify({ origin: 'o', ids: ['key_ok', 42, 'has space', 'ses_also-ok'] });

    expect(decodeMessage(text)?.ids).toEqual(['key_ok', 'ses_also-ok']);
  });

  it('reads at most 100 ids of one message', () => {
    const ids = Array.from({ length: 150 }, (_, index) => `key_${index}`);

    expect(decodeMessage(JSON.stringify({ origin: 'o', ids }))?.ids).toHaveLength(100);
  });
});
