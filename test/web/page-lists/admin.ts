/** The admin's pages (users and tokens, bank details), the reports and the State's account with how to pay: each role (by its demo user) and the pages it can see, with real query strings of the demo data. */
import type { PageList } from '../responsive-harness.js';

export const ADMIN_PAGES: PageList = {
  admin: [
    '/admin/users',
    '/admin/users?role=state&status=active',
    '/admin/users/new',
    '/admin/users/finance',
    '/admin/users/france',
    '/admin/bank-details',
    '/admin/limits',
    '/audit',
    '/reports', // the admin's refusal (403): the reports are for the readers
  ],
  finance: ['/reports?year=2018&state=FRA', '/admin/users'], // and the refusal of the admin's pages (403)
  presidency: ['/reports', '/reports?year=2017&asOf=2017-12-31&state=MEX&from=2017-01-01&to=2017-12-31'],
  auditor: ['/reports?year=2016', '/audit', '/audit?before=50', '/admin/bank-details'], // and a refusal (403)
  mexico: ['/account'], // how to pay, in Spanish
};
