/** The page registry (src/http/pages/registry.ts): the navigation of each role, and how a later page adds itself. */
import { describe, expect, it } from 'vitest';
import { navFor, registerPage, rolesOf } from '../../src/http/pages/registry.js';

describe('the page registry', () => {
  it('gives each role its pages, and the API link only to finance and admin', () => {
    expect(navFor('finance').map((p) => p.path)).toEqual(['/dashboard', '/payments', '/docs/']);
    expect(navFor('presidency').map((p) => p.path)).toEqual(['/dashboard']);
    expect(navFor('auditor').map((p) => p.path)).toEqual(['/dashboard']);
    expect(navFor('admin').map((p) => p.path)).toEqual(['/payments', '/docs/']);
    expect(navFor('state').map((p) => p.path)).toEqual(['/account']);
    expect(navFor('nobody')).toEqual([]);
    expect(rolesOf('/dashboard')).toEqual(['finance', 'presidency', 'auditor']);
    expect(rolesOf('/nowhere')).toEqual([]);
  });

  it('adds a later page before the API link, and replaces an entry of the same path', () => {
    registerPage({ path: '/reports', key: 'reports', roles: ['finance', 'presidency', 'auditor'] });
    expect(navFor('finance').map((p) => p.path)).toEqual(['/dashboard', '/payments', '/reports', '/docs/']);
    expect(navFor('presidency').map((p) => p.path)).toEqual(['/dashboard', '/reports']);
    registerPage({ path: '/reports', key: 'reports', roles: ['finance'] });
    expect(navFor('presidency').map((p) => p.path)).toEqual(['/dashboard']);
    expect(navFor('finance').map((p) => p.path)).toEqual(['/dashboard', '/payments', '/reports', '/docs/']);
  });
});
