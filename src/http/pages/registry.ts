/**
 * The pages of the site navigation (SPEC 9.9): each page says where it is,
 * the catalogue key of its link (`nav` in ./i18n/en.ts) and which roles see
 * it. The layout's navigation shows a role exactly the pages listed for it,
 * in this order. A new page adds itself with `registerPage` when its module
 * loads (or here), and guards its route with the same roles
 * (`requireViewer(request, reply, rolesOf('/path'))`).
 */
import type { Role } from '../../services/actor.js';
import type { Catalogue } from './i18n/en.js';

export interface PageEntry {
  path: string;
  key: keyof Catalogue['nav'];
  roles: readonly Role[];
}

/** Who reads the dashboard: finance, the Presidency, the auditors. */
export const DASHBOARD_ROLES: readonly Role[] = ['finance', 'presidency', 'auditor'];

const PAGES: PageEntry[] = [
  { path: '/dashboard', key: 'dashboard', roles: DASHBOARD_ROLES },
  { path: '/account', key: 'account', roles: ['state'] },
  { path: '/payments', key: 'payments', roles: ['finance', 'admin'] },
  // The API's documentation is for those who work with the API: never offered to the Presidency, auditors or States.
  { path: '/docs/', key: 'api', roles: ['finance', 'admin'] },
];

/** Adds a page to the navigation (before the API link, which stays last); a second entry for a path replaces the first. */
export function registerPage(entry: PageEntry): void {
  const i = PAGES.findIndex((p) => p.path === entry.path);
  if (i >= 0) PAGES[i] = entry;
  else PAGES.splice(PAGES.findIndex((p) => p.key === 'api'), 0, entry);
}

/** The navigation of a role, in order. */
export function navFor(role: Role | string): readonly PageEntry[] {
  return PAGES.filter((p) => (p.roles as readonly string[]).includes(role));
}

/** The roles of a registered page (empty for an unknown path). */
export function rolesOf(path: string): readonly Role[] {
  return PAGES.find((p) => p.path === path)?.roles ?? [];
}

export function registeredPages(): readonly PageEntry[] {
  return PAGES;
}
