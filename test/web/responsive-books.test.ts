/** The bank, reserve and expenditures pages at 1366 and 360 px wide, in three languages (./responsive-harness.ts). */
import { describeResponsive } from './responsive-harness.js';
import { BOOKS_PAGES } from './page-lists/books.js';

describeResponsive('the bank, reserve and expenditures pages at 1366 and 360 px wide, in three languages', BOOKS_PAGES, (user, url, width) =>
  width !== 360 || user !== 'finance' ? null : url === '/reserve' ? 'reserve-360' : url === '/bank/lines/5' ? 'bank-line-360' : url === '/expenditures' ? 'expenditures-360' : null,
);
