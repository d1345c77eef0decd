import { describe, expect, it } from 'vitest';
import { parseStaffList, staffDirectory, staffEntryKey } from './staff.js';

describe('staffEntryKey', () => {
  it.each<[string, string | undefined]>([
    ['CC:70123456', 'CC:70123456'],
    ['CC 70123456', 'CC:70123456'],
    ['cc:70.123.456', 'CC:70123456'],
    [' CC-70 123 456 ', 'CC:70123456'],
    ['CE:654321', 'CE:654321'],
    ['PA:ab12345', 'PA:AB12345'],
    ['70123456', undefined],
    ['XX:70123456', undefined],
    ['CC:', undefined],
    ['CC:12', undefined],
    ['CC:70123456; DROP', undefined],
  ])('%j → %j', (entry, key) => {
    expect(staffEntryKey(entry)).toBe(key);
  });
});

describe('parseStaffList', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    ['  ', []],
    ['CC:70123456', ['CC:70123456']],
    ['CC:70123456, CE 654321', ['CC:70123456', 'CE:654321']],
    ['CC:70123456;CC 70.123.456\nCE:654321\n', ['CC:70123456', 'CE:654321']],
  ])('%j', (raw, keys) => {
    expect(parseStaffList(raw)).toEqual(keys);
  });

  it('refuses an entry that is not a document, naming its position and not its text', () => {
    expect(() => parseStaffList('CC:70123456, 1036612345')).toThrow(/entry 2/);
    expect(() => parseStaffList('CC:70123456, 1036612345')).not.toThrow(/1036612345/);
  });
});

describe('staffDirectory', () => {
  const staff = staffDirectory({ admins: ['CC 70.123.456', 'CE:654321'], helpdesk: ['CE:654321', 'CC:1017234567'] });
  it.each<[string, string[]]>([
    ['CC:70123456', ['admin_minsalud']],
    ['CE:654321', ['admin_minsalud', 'mesa_ayuda']],
    ['CC:1017234567', ['mesa_ayuda']],
    ['CC:1036612345', []],
    ['TI:70123456', []],
    ['garbage', []],
  ])('%s → %j', (citizenId, roles) => {
    expect(staff.rolesOf(citizenId)).toEqual(roles);
  });
});

describe('staffDirectory.members', () => {
  const staff = staffDirectory({ admins: ['CC 70.123.456', 'CE:654321', 'cc:70123456'], helpdesk: ['CE:654321', 'CC:1017234567'] });
  it('lists the citizen ids of each role, normalized, each once, in the configured order', () => {
    expect(staff.members('admin_minsalud')).toEqual(['CC:70123456', 'CE:654321']);
    expect(staff.members('mesa_ayuda')).toEqual(['CE:654321', 'CC:1017234567']);
  });
  it('agrees with rolesOf', () => {
    for (const role of ['admin_minsalud', 'mesa_ayuda'] as const) for (const id of staff.members(role)) expect(staff.rolesOf(id)).toContain(role);
  });
  it('is empty for a role nobody holds, and cannot be changed from outside', () => {
    const none = staffDirectory({ admins: [], helpdesk: [] });
    expect(none.members('mesa_ayuda')).toEqual([]);
    expect(() => (staff.members('mesa_ayuda') as string[]).push('CC:1036612345')).toThrow();
    expect(staff.rolesOf('CC:1036612345')).toEqual([]);
  });
});
