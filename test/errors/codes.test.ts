import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/errors/index.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const documented = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map(([, code, status]) => [
  code,
  Number(status),
]);

describe('error codes', () => {
  it('match docs/errors.md one for one, with the same status', () => {
    const registered = Object.entries(errorCodes).map(([code, { status }]) => [code, status]);
    expect(documented).toEqual(registered);
  });

  it('have titles without a trailing full stop', () => {
    for (const { title } of Object.values(errorCodes)) {
      expect(title.endsWith('.')).toBe(false);
    }
  });
});
