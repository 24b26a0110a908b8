/** The first pages (login, dashboard, account, payments): each role (by its demo user; '' a visitor) and the pages it can see. */
import type { PageList } from '../responsive-harness.js';

export const CORE_PAGES: PageList = {
  '': ['/login'],
  finance: ['/dashboard', '/account?state=FRA', '/payments', '/payments/new', '/payments/1'],
  presidency: ['/dashboard', '/account?state=MEX'],
  auditor: ['/dashboard', '/account?state=IRL'],
  admin: ['/dashboard', '/payments', '/payments/1'], // the admin's page: its refusal, with the API's documentation; the payments it reads
  france: ['/account'],
};
