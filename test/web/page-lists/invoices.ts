/** The invoices and reminders pages: each role (by its demo user) and the pages it can see, with real demo ids and years; refused roles' 403 pages too. */
import type { PageList } from '../responsive-harness.js';

export const INVOICES_PAGES: PageList = {
  finance: [
    '/invoices',
    '/invoices?year=2018&status=overdue',
    '/invoices?state=FRA',
    '/invoices/ISU-2018-0001',
    '/invoices/batch?year=2018',
    '/reminders',
    '/reminders?asOf=2018-06-30',
    '/reminders/deliveries',
  ],
  presidency: ['/invoices?year=2017', '/invoices/ISU-2018-0002', '/reminders'], // the last: its 403 page
  auditor: ['/invoices?year=2016&status=paid'],
  admin: ['/invoices'], // its 403 page
};
