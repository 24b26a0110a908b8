/**
 * The financial statement (src/services/financial-statement.ts) and the
 * budget execution report (budgetExecution) over the history of
 * bench/history.ts — reused from the reports bench when it built it for
 * these sources today, else built here (not part of the measurement).
 */
import { budgetExecution } from '../src/services/budget-lines.js';
import { financialStatement } from '../src/services/financial-statement.js';
import { TODAY, history } from './history.js';
import { QUICK, median, nowMs, report, round, timeSync, type Figure } from './lib.js';

const t0 = nowMs();
const h = await history();
const setupMs = nowMs() - t0;
const { ctx } = h;

const runs = QUICK ? 9 : 21;
function bench(fn: () => unknown): number {
  for (let i = 0; i < 3; i++) fn();
  return median(Array.from({ length: runs }, () => timeSync(fn)));
}
const statement2020 = bench(() => financialStatement(ctx, 2020));
const statementCurrent = bench(() => financialStatement(ctx, Number(TODAY.slice(0, 4))));
const execution2020 = bench(() => budgetExecution(ctx, 2020, TODAY));
const executionPast = bench(() => budgetExecution(ctx, 2020, '2020-06-30'));
const exec = budgetExecution(ctx, 2020, TODAY);
h.close();

const source = `${h.facts.invoices} invoices, ${h.facts.payments} payments, ${h.facts.expenditures} expenditures`;
const figures: Figure[] = [
  { name: 'statements.financial-2020', value: round(statement2020, 2), unit: 'ms', target: '< 200', note: `financialStatement(2020) with 2019 as the previous year, over ${source}; median of ${runs}` },
  { name: 'statements.financial-current', value: round(statementCurrent, 2), unit: 'ms', target: '< 200', note: `financialStatement(${TODAY.slice(0, 4)}), the year in progress` },
  { name: 'statements.execution-2020', value: round(execution2020, 2), unit: 'ms', target: '< 200', note: `budgetExecution(2020, today): ${exec.lines.length} lines, ${exec.totals.percentSpent} % spent` },
  { name: 'statements.execution-2020-past', value: round(executionPast, 2), unit: 'ms', target: '< 200', note: 'budgetExecution(2020, as of 2020-06-30)' },
  { name: 'statements.setup', value: round(setupMs, 0), unit: 'ms', target: null, note: h.cached ? 'the history copied from the cache the reports bench left (not part of the measurement)' : 'the history built here: no cache for these sources today (not part of the measurement)' },
];
report('statements', figures);
