import { describe, expect, it } from 'vitest';
import { ROLES, scopeOf, type Actor } from '../../src/domain/actor.js';

const actor = (role: Actor['role'], stateIso3: string | null): Actor => ({ userId: 1, username: 'u', role, stateIso3, requestId: null, action: 'test' });

describe('scopeOf', () => {
  it('limits a State user to its own State and lets every other role see all', () => {
    expect(scopeOf(actor('state', 'FRA'))).toBe('FRA');
    for (const role of ['admin', 'finance', 'presidency', 'auditor', 'system'] as const) expect(scopeOf(actor(role, null))).toBeNull();
    // A role other than "state" is never narrowed, even if a State is attached to it.
    expect(scopeOf(actor('finance', 'FRA'))).toBeNull();
  });

  it('a State user without a State sees no State at all (a scope no ISO3 code can match), never everything', () => {
    const scope = scopeOf(actor('state', null));
    expect(scope).not.toBeNull();
    // Not even an empty string, which code testing the scope's truth would take for "no restriction".
    expect(scope).toBeTruthy();
    expect(scope).not.toMatch(/^[A-Z]{3}$/);
  });

  it('knows the five roles of SPEC 7', () => {
    expect([...ROLES]).toEqual(['admin', 'finance', 'presidency', 'auditor', 'state']);
  });
});
