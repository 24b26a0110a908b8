/**
 * The admin's pages, the reports and the State's account (with how to pay)
 * at 1366 and 360 px wide, in three languages, for every role that sees them
 * (./responsive-harness.ts): no sideways scroll, axe-core clean.
 */
import { describeResponsive } from './responsive-harness.js';
import { ADMIN_PAGES } from './page-lists/admin.js';

describeResponsive('the admin pages, the reports and how to pay at 1366 and 360 px wide, in three languages', ADMIN_PAGES, (user, url, width) =>
  width !== 360
    ? null
    : user === 'admin' && url === '/admin/bank-details'
      ? 'admin-bank-details-360'
      : user === 'admin' && url === '/admin/users/finance'
        ? 'admin-user-360'
        : user === 'presidency' && url === '/reports'
          ? 'reports-360'
          : user === 'mexico'
            ? 'account-how-to-pay-360'
            : null,
);
