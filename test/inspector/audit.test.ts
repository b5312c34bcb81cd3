import { describe, expect, it } from 'vitest';
import { auditJwt, type Finding, hasSeriousFinding } from '../../src/inspector/index.js';
import { hmacToken, nowSeconds, rawToken } from './tokens.js';

function find(findings: Finding[], id: string): Finding | undefined {
  return findings.find((finding) => finding.id === id);
}

async function audit(token: string, options = {}): Promise<Finding[]> {
  return auditJwt(token, options);
}

describe('auditJwt', () => {
  it('passes a well-formed access token', async () => {
    const { token } = await hmacToken();
    const findings = await audit(token, {
      expectedIssuer: 'https://auth.test',
      expectedAudience: 'api',
      expectedTyp: 'at+jwt',
    });

    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(find(findings, 'expires')?.message).toMatch(/^The token expires in 1[45] minutes \(/);
    expect(hasSeriousFinding(findings)).toBe(false);
  });

  it('reports alg none', async () => {
    const findings = await audit(rawToken({ alg: 'none' }, { exp: nowSeconds() + 60 }));

    expect(find(findings, 'alg_none')?.severity).toBe('serious');
    expect(hasSeriousFinding(findings)).toBe(true);
  });

  it('reports a missing alg', async () => {
    expect(find(await audit(rawToken({ typ: 'JWT' }, {})), 'missing_alg')?.severity).toBe(
      'serious',
    );
  });

  it('reports a missing exp', async () => {
    const { token } = await hmacToken({ claims: { exp: undefined } });

    expect(find(await audit(token), 'missing_exp')?.severity).toBe('serious');
  });

  it('reports a lifetime over 24 hours', async () => {
    const now = nowSeconds();
    const { token } = await hmacToken({ claims: { iat: now, exp: now + 30 * 86_400 } });
    const finding = find(await audit(token), 'long_lifetime');

    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('30 days');
  });

  it('reports an expired token with how long ago', async () => {
    const now = nowSeconds();
    const { token } = await hmacToken({
      claims: { iat: now - 4 * 3600, exp: now - 3 * 3600 - 30 },
    });
    const finding = find(await audit(token), 'expired');

    expect(finding?.severity).toBe('serious');
    expect(finding?.message).toMatch(/^The token expired 3 hours ago \(\d{4}-\d\d-\d\dT/);
  });

  it('judges expiry against the given time', async () => {
    const now = nowSeconds();
    const { token } = await hmacToken({ claims: { iat: now, exp: now + 600 } });
    const later = new Date((now + 3600) * 1000);

    expect(find(await audit(token, { now: later }), 'expired')?.message).toContain(
      '50 minutes ago',
    );
  });

  it('reports a token that is not valid yet', async () => {
    const { token } = await hmacToken({ claims: { nbf: nowSeconds() + 7200 } });
    const finding = find(await audit(token), 'not_yet_valid');

    expect(finding?.severity).toBe('serious');
    expect(finding?.message).toContain('in 1 hour');
  });

  it('reports an iat in the future', async () => {
    const { token } = await hmacToken({ claims: { iat: nowSeconds() + 600 } });

    expect(find(await audit(token), 'issued_in_future')?.severity).toBe('warning');
  });

  it('reports times in milliseconds', async () => {
    const { token } = await hmacToken({ claims: { exp: Date.now() + 60_000 } });
    const finding = find(await audit(token), 'invalid_time');

    expect(finding?.severity).toBe('serious');
    expect(finding?.message).toContain('milliseconds');
  });

  it('reports missing iss and aud as warnings', async () => {
    const { token } = await hmacToken({ claims: { iss: undefined, aud: undefined } });
    const findings = await audit(token);

    expect(find(findings, 'missing_iss')?.severity).toBe('warning');
    expect(find(findings, 'missing_aud')?.severity).toBe('warning');
  });

  it('escalates missing iss and aud', async () => {
    const { token } = await hmacToken({ claims: { iss: undefined, aud: undefined } });
    const findings = await audit(token, {
      expectedIssuer: 'https://auth.test',
      expectedAudience: 'api',
    });

    expect(find(findings, 'missing_iss')?.severity).toBe('serious');
    expect(find(findings, 'missing_aud')?.severity).toBe('serious');
  });

  it('reports an unexpected iss and aud', async () => {
    const { token } = await hmacToken({ claims: { aud: ['web', 'mobile'] } });
    const findings = await audit(token, {
      expectedIssuer: 'https://other.test',
      expectedAudience: 'api',
    });

    expect(find(findings, 'unexpected_iss')?.severity).toBe('serious');
    expect(find(findings, 'unexpected_aud')?.message).toBe(
      'aud is ["web","mobile"], which does not include "api".',
    );
  });

  it('accepts an audience listed in an array', async () => {
    const { token } = await hmacToken({ claims: { aud: ['web', 'api'] } });

    expect(find(await audit(token, { expectedAudience: 'api' }), 'unexpected_aud')).toBeUndefined();
  });

  it('reports an unexpected typ', async () => {
    const { token } = await hmacToken({ header: { alg: 'HS256', typ: 'JWT' } });
    const finding = find(await audit(token, { expectedTyp: 'at+jwt' }), 'unexpected_typ');

    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('"JWT", but at+jwt is expected');
  });

  it('compares typ without case or application/ prefix', async () => {
    const { token } = await hmacToken({ header: { alg: 'HS256', typ: 'application/AT+JWT' } });

    expect(find(await audit(token, { expectedTyp: 'at+jwt' }), 'unexpected_typ')).toBeUndefined();
  });

  it('reports embedded jwk, jku and x5u headers', async () => {
    const header = {
      alg: 'RS256',
      jwk: { kty: 'RSA' },
      jku: 'https://evil.test/jwks',
      x5u: 'https://evil.test/cert',
    };
    const findings = (await audit(rawToken(header, { exp: nowSeconds() + 60 }, 'c2ln'))).filter(
      (f) => f.id === 'embedded_key',
    );

    expect(findings).toHaveLength(3);
    expect(findings.map((f) => f.severity)).toEqual(['serious', 'serious', 'serious']);
    expect(findings.map((f) => f.message.split(',')[0])).toEqual([
      'The header carries jwk',
      'The header carries jku',
      'The header carries x5u',
    ]);
  });

  it('reports crit', async () => {
    const finding = find(
      await audit(rawToken({ alg: 'HS256', crit: ['exp'], exp: 1 }, {}, 'c2ln')),
      'crit',
    );

    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('(exp)');
  });

  it('reports an unknown alg', async () => {
    expect(find(await audit(rawToken({ alg: 'HS1' }, {}, 'c2ln')), 'unknown_alg')?.severity).toBe(
      'warning',
    );
  });

  for (const [alg, secret] of [
    ['HS256', 'your-256-bit-secret'],
    ['HS384', 'keyboard cat'],
    ['HS512', 'changeme'],
  ] as const) {
    it(`reports a weak ${alg} secret`, async () => {
      const { token } = await hmacToken({ header: { alg, typ: 'JWT' }, secret });
      const finding = find(await audit(token), 'weak_secret');

      expect(finding?.severity).toBe('serious');
      expect(finding?.message).not.toContain(secret);
    });
  }

  it('passes a generated secret', async () => {
    const { token } = await hmacToken();

    expect(find(await audit(token), 'weak_secret')).toBeUndefined();
  });

  it('lists serious findings first', async () => {
    const { token } = await hmacToken({ claims: { iss: undefined, exp: undefined } });
    const severities = (await audit(token)).map((f) => f.severity);

    expect(severities).toEqual(
      [...severities].sort(
        (a, b) =>
          ['serious', 'warning', 'info'].indexOf(a) - ['serious', 'warning', 'info'].indexOf(b),
      ),
    );
    expect(severities[0]).toBe('serious');
  });

  it('raises invalid_token for a malformed token', async () => {
    await expect(auditJwt('not-a-token')).rejects.toMatchObject({ code: 'invalid_token' });
  });
});
