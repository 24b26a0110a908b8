/**
 * Reports at scale: the synthetic history of bench/history.ts (20 budget
 * years × 200 States × 5 payments a year, with budget lines and monthly
 * expenditures), built here (its time reported) and kept for the statements
 * bench; then the status-of-contributions report and a balance as of a past date.
 */
import { computeBalance } from '../src/services/accounts.js';
import { statusOfContributions } from '../src/services/reports.js';
import { TODAY, YEARS, buildHistory, saveHistory } from './history.js';
import { QUICK, freshDb, median, report, round, timeSync, type Figure } from './lib.js';

const env = freshDb({ fast: true });
const { ctx } = env;
const facts = await buildHistory(ctx);
const ms = facts.ms!;

const runs = QUICK ? 9 : 21;
function bench(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  return median(Array.from({ length: runs }, () => timeSync(fn)));
}
const statusNow = bench(() => statusOfContributions(ctx, 2020, TODAY));
const statusPast = bench(() => statusOfContributions(ctx, 2020, '2020-06-30'));
const balancePast = bench(() => computeBalance(ctx, 'FRA', '2020-06-30'));
const balanceNow = bench(() => computeBalance(ctx, 'FRA', TODAY));
const rowsStatus = statusOfContributions(ctx, 2020, '2020-06-30').rows.length;
const postings = (ctx.sqlite.prepare('SELECT count(*) AS n FROM postings').get() as { n: number }).n;
saveHistory(ctx, facts); // for the statements bench
env.close();

const figures: Figure[] = [
  { name: 'reports.setup-invoices', value: round(ms.invoices / 1000, 1), unit: 's', target: null, note: `${facts.invoices} invoices (PDFs) over ${YEARS.length} years by issueInvoiceBatch` },
  {
    name: 'reports.setup-payments',
    value: round(ms.payments / 1000, 1),
    unit: 's',
    target: null,
    note: `${facts.payments} payments by recordPayment and ${facts.expenditures} expenditures by recordExpenditure in one transaction; ${postings} postings in the ledger`,
  },
  { name: 'reports.setup-total', value: round(ms.total / 1000, 1), unit: 's', target: null },
  { name: 'reports.status-2020-today', value: round(statusNow, 2), unit: 'ms', target: '< 100', note: `statusOfContributions(2020, today), ${rowsStatus} rows` },
  { name: 'reports.status-2020-past', value: round(statusPast, 2), unit: 'ms', target: '< 100', note: 'statusOfContributions(2020, as of 2020-06-30)' },
  { name: 'reports.balance-past', value: round(balancePast, 3), unit: 'ms', target: '< 100', note: "computeBalance('FRA', as of 2020-06-30): from the ledger, without the commit cache" },
  { name: 'reports.balance-today', value: round(balanceNow, 3), unit: 'ms', target: '< 100' },
];
report('reports', figures);
