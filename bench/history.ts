/**
 * The synthetic history of the reports and statements benchmarks: 20 budget
 * years (2011–2030) × 200 States × 5 payments a year, built with the
 * services (invoices by issueInvoiceBatch, payments by recordPayment inside
 * one transaction), each budget split into the demo's seven lines, with one
 * expenditure a month on each line (recordExpenditure) up to today.
 *
 * Building it takes a minute or more, so the database is kept in the system's
 * temporary folder once built, under a key made of the sources (src/,
 * db/migrations/, this file) and today's date: the reports bench builds it
 * (and reports the time it took), the statements bench reuses it when it is
 * there and the key matches (else builds it too).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { formatMoney, parseMoney } from '../src/domain/money.js';
import { budgetCreate } from '../src/schemas/budgets.js';
import { DEFAULT_LIMITS } from '../src/schemas/limits.js';
import { scaleCreate } from '../src/schemas/scales.js';
import { createBudget } from '../src/services/budgets.js';
import type { Ctx } from '../src/services/context.js';
import { DEMO_BUDGET_2018, DEMO_ISSUER, demoBudgetLines } from '../src/services/demo.js';
import { issueInvoiceBatch, listInvoices } from '../src/services/invoices.js';
import { setLimits } from '../src/services/limits.js';
import { recordPayment } from '../src/services/payments.js';
import { recordExpenditure } from '../src/services/reserve.js';
import { createScale } from '../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../src/services/settings.js';
import { importStates } from '../src/services/states.js';
import { actor, freshDb, nowMs, registerAtScale, tempDir } from './lib.js';

export const YEARS = Array.from({ length: 20 }, (_, i) => 2011 + i);
export const TODAY = new Date().toISOString().slice(0, 10);

export interface HistoryFacts {
  invoices: number;
  payments: number;
  expenditures: number;
  /** Build times in ms (null when the history came from the cache). */
  ms: { invoices: number; payments: number; total: number } | null;
}

/** Builds the history into a fresh (migrated, empty) database. */
export async function buildHistory(ctx: Ctx): Promise<HistoryFacts> {
  const t0 = nowMs();
  const { states, rates } = registerAtScale(200, '2009-01-15');
  importStates(ctx, actor, states);
  createScale(ctx, actor, scaleCreate.parse({ code: 'BENCH-SCALE', title: 'Synthetic scale', source: 'bench', rates }));
  setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  // Budgets up to 2030 are adopted today: beyond the default plausibility window of 366 days (SPEC limits), widened as an admin would.
  setLimits(ctx, actor, { ...DEFAULT_LIMITS, futureDays: 3660 });
  for (const year of YEARS) {
    const approvedOn = year <= 2026 ? `${year - 1}-09-01` : '2026-09-01';
    const amount = `${600000 + (year - 2011) * 10000}.00`;
    createBudget(
      ctx,
      actor,
      budgetCreate.parse({ ...DEMO_BUDGET_2018, scaleCode: 'BENCH-SCALE', year, amount, lines: demoBudgetLines(amount), decisionRef: `BENCH/${year}`, approvedOn, cutoffDate: `${year}-03-31` }),
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
  let expenditureCount = 0;
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
    // One expenditure a month on each line, 60 % of the line's twelfth, up to today (after the year's payments: the cash is there).
    for (const year of YEARS) {
      const lines = demoBudgetLines(`${600000 + (year - 2011) * 10000}.00`);
      for (let month = 1; month <= 12; month++) {
        const date = `${year}-${String(month).padStart(2, '0')}-25`;
        if (date > TODAY) continue;
        for (const l of lines) {
          recordExpenditure(ctx, actor, { date, amount: formatMoney((parseMoney(l.amount) * 6n) / 120n), description: `Bench ${l.code} ${date}`, line: l.code });
          expenditureCount++;
        }
      }
    }
  })();
  const tPayments = nowMs();
  return { invoices: invoiceCount, payments: paymentCount, expenditures: expenditureCount, ms: { invoices: tInvoices - tBudgets, payments: tPayments - tInvoices, total: tPayments - t0 } };
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The cache key: the sources that decide what the history holds, and today's date (payments up to today). */
function cacheFile(): string {
  const h = crypto.createHash('sha256').update(TODAY);
  for (const f of [...filesUnder(path.join(PROJECT_ROOT, 'src')), ...filesUnder(path.join(PROJECT_ROOT, 'db', 'migrations')), path.join(PROJECT_ROOT, 'bench', 'history.ts')])
    h.update(path.relative(PROJECT_ROOT, f)).update(fs.readFileSync(f));
  return path.join(os.tmpdir(), `isu-bench-history-${h.digest('hex').slice(0, 16)}.sqlite`);
}

/** Keeps a copy of the built history for the next bench (written aside, then renamed). */
export function saveHistory(ctx: Ctx, facts: HistoryFacts): void {
  ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const file = cacheFile();
  const tmp = `${file}.${process.pid}.tmp`;
  ctx.sqlite.exec(`VACUUM INTO '${tmp.replace(/'/g, "''")}'`);
  fs.writeFileSync(`${tmp}.json`, JSON.stringify({ ...facts, ms: null }));
  fs.renameSync(`${tmp}.json`, `${file}.json`);
  fs.renameSync(tmp, file);
  // Histories of earlier days are stale for every source: removed (those of today for other sources may be another worktree's).
  const dir = path.dirname(file);
  for (const f of fs.readdirSync(dir))
    if (f.startsWith('isu-bench-history-') && Date.now() - fs.statSync(path.join(dir, f)).mtimeMs > 86_400_000) fs.rmSync(path.join(dir, f), { force: true });
}

/** The history: a copy of the cached one when there is one for these sources and today, else built now (and cached). */
export async function history(): Promise<{ ctx: Ctx; facts: HistoryFacts; cached: boolean; close(): void }> {
  const file = cacheFile();
  if (fs.existsSync(file) && fs.existsSync(`${file}.json`)) {
    const dir = tempDir();
    const copy = path.join(dir, 'isu.sqlite');
    fs.copyFileSync(file, copy);
    const { db, sqlite, close } = openDatabase(copy, { migrate: false });
    return {
      ctx: { db, sqlite, invoiceDir: path.join(dir, 'invoices') },
      facts: JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as HistoryFacts,
      cached: true,
      close() {
        close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const env = freshDb({ fast: true });
  const facts = await buildHistory(env.ctx);
  saveHistory(env.ctx, facts);
  return { ctx: env.ctx, facts, cached: false, close: () => env.close() };
}
