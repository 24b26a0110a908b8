/**
 * The invoices and reminders pages (./page-lists/invoices.ts) at 1366 and
 * 360 px wide in the three languages: no sideways scroll, axe-core clean
 * (./responsive-harness.ts).
 */
import { describeResponsive } from './responsive-harness.js';
import { INVOICES_PAGES } from './page-lists/invoices.js';

describeResponsive('the invoices and reminders pages at 1366 and 360 px wide, in three languages', INVOICES_PAGES, (user, url, width) =>
  width === 360 && user === 'finance' ? (url === '/invoices' ? 'invoices-360' : url === '/reminders' ? 'reminders-360' : url === '/invoices/ISU-2018-0001' ? 'invoice-360' : null) : null,
);
