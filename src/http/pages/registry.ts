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

/**
 * The order of the navigation, by catalogue key, whatever the order in which
 * the page modules load: the day's work first (dashboard, payments, bank),
 * then the year's (budgets, invoices, reminders), the register and the
 * books, the reports, the admin's pages, and the API last.
 */
export const NAV_ORDER: readonly (keyof Catalogue['nav'])[] = [
  'dashboard',
  'account',
  'payments',
  'bank',
  'invoices',
  'reminders',
  'budgets',
  'states',
  'reserve',
  'expenditures',
  'periods',
  'reports',
  'users',
  'bankDetails',
  'api',
];

/** Adds a page to the navigation at its place in NAV_ORDER; a second entry for a path replaces the first. */
export function registerPage(entry: PageEntry): void {
  const i = PAGES.findIndex((p) => p.path === entry.path);
  if (i >= 0) PAGES[i] = entry;
  else PAGES.push(entry);
  PAGES.sort((a, b) => NAV_ORDER.indexOf(a.key) - NAV_ORDER.indexOf(b.key));
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
