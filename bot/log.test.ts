import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

describe('JSON logger', () => {
  it('writes one JSON object per line with level, message and fields', () => {
    const lines: string[] = [];
    const log = createLogger('info', { app: 'asistente' }, (l) => lines.push(l)).child({ request: 'r1' });
    log.debug('hidden');
    log.info('shown', { status: 200 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'shown', app: 'asistente', request: 'r1', status: 200 });
  });

  it.each([
    ['password', 'S3creta!'], ['clientSecret', 'abc'], ['numeroDocumento', '70123456'], ['email', 'a@b.co'],
    ['text', 'lo que escribió'], ['authorization', 'Bearer x'], ['telefono', '3001234567'],
  ])('redacts %s even when a caller passes it by mistake', (key, value) => {
    const lines: string[] = [];
    createLogger('debug', {}, (l) => lines.push(l)).warn('oops', { nested: { [key]: value } });
    expect(lines[0]).not.toContain(value);
    expect(lines[0]).toContain('[redacted]');
  });
});
