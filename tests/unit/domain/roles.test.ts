import { describe, expect, it } from 'vitest';
import { isStaffRole, primaryRole } from '../../../shared/domain/roles.js';
import { parseGroups } from '../../../shared/http/caller.js';

describe('roles', () => {
  it('picks the most privileged group as the role', () => {
    expect(primaryRole(['client'])).toBe('client');
    expect(primaryRole(['client', 'therapist'])).toBe('therapist');
    expect(primaryRole(['therapist', 'supervisor'])).toBe('supervisor');
    expect(primaryRole(['admin', 'coordinator'])).toBe('admin');
    expect(primaryRole(['everyone'])).toBeUndefined();
    expect(primaryRole([])).toBeUndefined();
  });

  it('knows who is staff', () => {
    expect(isStaffRole('client')).toBe(false);
    expect(isStaffRole('coordinator')).toBe(true);
  });

  it.each([
    ['therapist', ['therapist']],
    ['client,admin', ['client', 'admin']],
    ['[client admin]', ['client', 'admin']],
    ['["client","admin"]', ['client', 'admin']],
    [['client', 'admin'], ['client', 'admin']],
    ['', []],
    [undefined, []],
  ])('reads API Gateway group claims %j', (raw, groups) => {
    expect(parseGroups(raw)).toEqual(groups);
  });
});
