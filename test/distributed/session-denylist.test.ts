import { describe, expect, it } from 'vitest';
import {
  createSessionDenylist,
  rejectRevokedSessions,
} from '../../src/distributed/session-denylist.js';
import { isKeywardError } from '../../src/errors/index.js';

function setup(maxEntries = 100) {
  let time = 1_000_000;
  const evictions: number[] = [];
  const denylist = createSessionDenylist({
    ttlMs: 1000,
    maxEntries,
    now: () => time,
    onEvicted: (count) => evictions.push(count),
  });
  return { denylist, evictions, advance: (ms: number) => (time += ms) };
}

describe('session denylist', () => {
  it('lists a revoked session', () => {
    const { denylist } = setup();
    denylist.add(['ses_a']);

    expect(denylist.isSessionRevoked('ses_a')).toBe(true);
    expect(denylist.isSessionRevoked('ses_b')).toBe(false);
  });

  it('drops an entry after its lifetime', () => {
    const { denylist, advance } = setup();
    denylist.add(['ses_a']);
    advance(999);
    expect(denylist.isSessionRevoked('ses_a')).toBe(true);
    advance(1);

    expect(denylist.isSessionRevoked('ses_a')).toBe(false);
  });

  it('purges expired entries as new ones arrive', () => {
    const { denylist, advance } = setup();
    denylist.add(['ses_a', 'ses_b']);
    advance(1000);
    denylist.add(['ses_c']);

    expect(denylist.size).toBe(1);
  });

  it('renews an entry that is added again', () => {
    const { denylist, advance } = setup();
    denylist.add(['ses_a']);
    advance(600);
    denylist.add(['ses_a']);
    advance(600);

    expect(denylist.isSessionRevoked('ses_a')).toBe(true);
  });

  it('evicts the oldest entries past the cap', () => {
    const { denylist, evictions } = setup(3);
    denylist.add(['ses_a', 'ses_b', 'ses_c']);
    denylist.add(['ses_d', 'ses_e']);

    expect(denylist.size).toBe(3);
    expect(denylist.isSessionRevoked('ses_a')).toBe(false);
    expect(denylist.isSessionRevoked('ses_b')).toBe(false);
    expect(denylist.isSessionRevoked('ses_e')).toBe(true);
    expect(evictions).toEqual([2]);
  });

  it('rejects a zero lifetime', () => {
    expect(() => createSessionDenylist({ ttlMs: 0 })).toThrow(RangeError);
  });
});

describe('rejectRevokedSessions', () => {
  const revoked = new Set(['ses_gone']);
  const verify = rejectRevokedSessions(
    (token: string) => ({ sub: 'usr_1', ...(token === '' ? {} : { sid: token }) }),
    (sid) => revoked.has(sid),
  );

  it('rejects a token of a revoked session with invalid_token', () => {
    let error: unknown;
    try {
      verify('ses_gone');
    } catch (caught) {
      error = caught;
    }

    expect(isKeywardError(error, 'invalid_token')).toBe(true);
  });

  it('passes a token of a live session', () => {
    expect(verify('ses_live')).toEqual({ sub: 'usr_1', sid: 'ses_live' });
  });

  it('passes a token without sid', () => {
    expect(verify('')).toEqual({ sub: 'usr_1' });
  });
});
