/**
 * Reports at scale: a synthetic history of 20 budget years (2011–2030) × 200
 * States × 5 payments a year, built with the services (invoices by
 * issueInvoiceBatch, payments by recordPayment inside one transaction);
 * then the status-of-contributions report and a balance as of a past date.
 */
import { budgetCreate } from '../src/schemas/budgets.js';
import { scaleCreate } from '../src/schemas/scales.js';
import { formatMoney, parseMoney } from '../src/domain/money.js';
import { computeBalance } from '../src/services/accounts.js';
import { createBudget } from '../src/services/budgets.js';
import { DEMO_BUDGET_2018, DEMO_ISSUER } from '../src/services/demo.js';
import { issueInvoiceBatch, listInvoices } from '../src/services/invoices.js';
import { recordPayment } from '../src/services/payments.js';
import { statusOfContributions } from '../src/services/reports.js';
import { issuerSettingsSchema, setIssuer } from '../src/services/settings.js';
import { importStates } from '../src/services/states.js';
import { createScale } from '../src/services/scales.js';
import { QUICK, actor, freshDb, median, nowMs, registerAtScale, report, round, timeSync, type Figure } from './lib.js';

const YEARS = Array.from({ length: 20 }, (_, i) => 2011 + i);
const TODAY = new Date().toISOString().slice(0, 10);
const env = freshDb({ fast: true });
const { ctx } = env;

const t0 = nowMs();
const { states, rates } = registerAtScale(200, '2009-01-15');
importStates(ctx, actor, states);
createScale(ctx, actor, scaleCreate.parse({ code: 'BENCH-SCALE', title: 'Synthetic scale', source: 'bench', rates }));
setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
for (const year of YEARS) {
  const approvedOn = year <= 2026 ? `${year - 1}-09-01` : '2026-09-01';
  createBudget(
    ctx,
    actor,
    budgetCreate.parse({ ...DEMO_BUDGET_2018, scaleCode: 'BENCH-SCALE', year, amount: `${600000 + (year - 2011) * 10000}.00`, decisionRef: `BENCH/${year}`, approvedOn, cutoffDate: `${year}-03-31` }),
  );
}
const tBudgets = nowMs();
let invoiceCount = 0;
for (const year of YEARS) {
  const issueDate = year <= 2026 ? `${year - 1}-10-01` : '2026-10-01';
  invoiceCount += (await issueInvoiceBatch(ctx, actor, year, { issueDate })).issued.length;
}
const tInvoices = nowMs();

// 5 payments per invoice (State and year), recorded by the service, all inside one SQLite transaction (nested ones become savepoints).
let paymentCount = 0;
const all = listInvoices(ctx, {}, null);
ctx.sqlite.transaction(() => {
  for (const inv of all) {
    const total = parseMoney(inv.total);
    const part = total / 5n;
    for (let k = 0; k < 5; k++) {
      const amount = k < 4 ? part : total - 4n * part;
      const month = String(2 + 2 * k).padStart(2, '0');
      const receivedOn = inv.year <= 2025 ? `${inv.year}-${month}-10` : `2026-${String(10 + Math.floor(k / 3)).padStart(2, '0')}-0${2 + k}`;
      if (receivedOn > TODAY) continue;
      // Every fourth State pays only four instalments in odd years, so some arrears remain.
      if (k === 4 && inv.year % 2 === 1 && inv.iso3.charCodeAt(1) % 4 === 0) continue;
      recordPayment(ctx, actor, `bench-${inv.number}-${k}`, { iso3: inv.iso3, amount: formatMoney(amount), receivedOn, reference: inv.creditorReference });
      paymentCount++;
    }
  }
})();
const tPayments = nowMs();

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
env.close();

const figures: Figure[] = [
  { name: 'reports.setup-invoices', value: round((tInvoices - tBudgets) / 1000, 1), unit: 's', target: null, note: `${invoiceCount} invoices (PDFs) over ${YEARS.length} years by issueInvoiceBatch` },
  { name: 'reports.setup-payments', value: round((tPayments - tInvoices) / 1000, 1), unit: 's', target: null, note: `${paymentCount} payments by recordPayment in one transaction; ${postings} postings in the ledger` },
  { name: 'reports.setup-total', value: round((tPayments - t0) / 1000, 1), unit: 's', target: null },
  { name: 'reports.status-2020-today', value: round(statusNow, 2), unit: 'ms', target: '< 100', note: `statusOfContributions(2020, today), ${rowsStatus} rows` },
  { name: 'reports.status-2020-past', value: round(statusPast, 2), unit: 'ms', target: '< 100', note: 'statusOfContributions(2020, as of 2020-06-30)' },
  { name: 'reports.balance-past', value: round(balancePast, 3), unit: 'ms', target: '< 100', note: "computeBalance('FRA', as of 2020-06-30): from the ledger, without the commit cache" },
  { name: 'reports.balance-today', value: round(balanceNow, 3), unit: 'ms', target: '< 100' },
];
report('reports', figures);
