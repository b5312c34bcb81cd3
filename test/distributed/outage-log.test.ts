import { describe, expect, it } from 'vitest';
import { createOutageLog } from '../../src/distributed/outage-log.js';

function setup() {
  let time = 0;
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    warn: (obj: object, msg: string) =>
      lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    info: (obj: object, msg: string) =>
      lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
  };
  const outage = createOutageLog(logger, { service: 'redis' }, () => time);
  return { outage, lines, advance: (ms: number) => (time += ms) };
}

describe('outage log', () => {
  it('warns once with the cause, however many failures follow', () => {
    const { outage, lines } = setup();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), {
      code: 'ECONNREFUSED',
    });
    for (let index = 0; index < 10; index++) outage.failed('commands', refused);
    outage.failed('subscriber', refused);

    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toBe('redis unavailable');
    expect(lines[0]!.obj.err).toEqual({
      type: 'Error',
      message: refused.message,
      code: 'ECONNREFUSED',
    });
  });

  it('reports the recovery when every connection is back', () => {
    const { outage, lines, advance } = setup();
    outage.failed('commands', new Error('down'));
    outage.failed('subscriber', new Error('down'));
    advance(1500);
    outage.recovered('commands');
    expect(outage.failing).toBe(true);
    outage.recovered('subscriber');

    expect(outage.failing).toBe(false);
    expect(lines.map((line) => line.msg)).toEqual(['redis unavailable', 'redis available again']);
    expect(lines[1]!.obj).toMatchObject({ downtimeMs: 1500, failures: 2 });
  });

  it('logs nothing for a connection that never failed', () => {
    const { outage, lines } = setup();
    outage.recovered('commands');

    expect(lines).toEqual([]);
  });
});
