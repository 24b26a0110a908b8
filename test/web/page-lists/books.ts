/** The bank, reserve and expenditures pages: each role (by its demo user) and the pages it can see, with the refusals of roles that cannot. */
import type { PageList } from '../responsive-harness.js';

export const BOOKS_PAGES: PageList = {
  finance: [
    '/bank',
    '/bank/queue',
    '/bank/queue?status=all&statement=1',
    '/bank/lines/5', // a credit waiting: who it may be from, match / book / ignore
    '/bank/lines/6', // a bank fee waiting
    '/bank/lines/1', // recorded at import by its RF reference
    '/reserve',
    '/reserve?asOf=2016-01-25', // the day of the demo's drawdown
    '/expenditures',
    '/expenditures?year=2018&line=staff',
    '/expenditures/1', // one expenditure, with the form to reverse it
  ],
  presidency: ['/reserve', '/bank'], // reads the reserve; the bank is refused (403)
  auditor: ['/reserve?asOf=2018-12-31', '/expenditures'], // reads the reserve; expenditures refused (403)
  admin: ['/reserve'], // refused (403)
};
