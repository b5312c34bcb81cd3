import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../src/cli/terminal.js';

describe('terminal output', () => {
  it('escapes C0, C1 and bidirectional controls', () => {
    expect(escapeForTerminal('evil\u001b[2J\u009b31m\u202egpj.exe')).toBe(
      'evil\\u001b[2J\\u009b31m\\u202egpj.exe',
    );
  });

  it('keeps newlines, tabs and ordinary text', () => {
    expect(escapeForTerminal('name:\tbilling\nkey: kw_live_x ✓')).toBe(
      'name:\tbilling\nkey: kw_live_x ✓',
    );
  });
});
