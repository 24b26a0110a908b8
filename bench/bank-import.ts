/**
 * Bank statements in at scale (SPEC 9.6): a camt.053 of 10,000 entries over
 * a register of 200 States × 10 budget years (2,000 invoices), 90 % of the
 * entries quoting the RF reference of an invoice (a part of what it asks),
 * 10 % without one. Each run imports the file into a fresh copy of the
 * database (synchronous=FULL, as served): the import in one transaction,
 * every matched line recorded as a payment through the payments service.
 * Reported: the medians of the parse, of deciding every line's match, and of
 * the whole import (the rest is recording: lines, payments, ledger, audit);
 * against recording the same payments one by one through POST
 * /api/v1/payments over HTTP on loopback (a listening server, fetch; each its
 * own transaction).
 */
import fs from 'node:fs';
import path from 'node:path';
import { camt053, type WriterEntry } from '../scripts/camt-writer.js';
import { openDatabase } from '../src/db/client.js';
import { formatMoney, parseMoney } from '../src/domain/money.js';
import { buildApp } from '../src/http/app.js';
import { budgetCreate } from '../src/schemas/budgets.js';
import { scaleCreate } from '../src/schemas/scales.js';
import { parseCamt } from '../src/services/bank/camt.js';
import { importBankFile } from '../src/services/bank/import.js';
import { decide } from '../src/services/bank/matching.js';
import { createBudget } from '../src/services/budgets.js';
import type { Ctx } from '../src/services/context.js';
import { DEMO_BUDGET_2018, DEMO_ISSUER } from '../src/services/demo.js';
import { issueInvoiceBatch, listInvoices } from '../src/services/invoices.js';
import { importStates } from '../src/services/states.js';
import { createScale } from '../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../src/services/settings.js';
import { addUser } from '../src/services/users.js';
import { QUICK, actor, freshDb, median, nowMs, registerAtScale, report, round, timeSync, type Figure } from './lib.js';

const ENTRIES = 10_000;
const MATCHED = (ENTRIES * 9) / 10;
const YEARS = Array.from({ length: 10 }, (_, i) => 2011 + i);
const RUNS = QUICK ? 3 : 5;

const setup = freshDb({ fast: true });
const t0 = nowMs();
const { states, rates } = registerAtScale(200, '2008-12-01');
importStates(setup.ctx, actor, states);
createScale(setup.ctx, actor, scaleCreate.parse({ code: 'BENCH-SCALE', title: 'Synthetic scale', source: 'bench', rates }));
setIssuer(setup.ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
for (const year of YEARS)
  createBudget(setup.ctx, actor, budgetCreate.parse({ ...DEMO_BUDGET_2018, scaleCode: 'BENCH-SCALE', year, amount: '600000.00', decisionRef: `BENCH/${year}`, approvedOn: `${year - 1}-09-01`, cutoffDate: `${year}-03-31` }));
for (const year of YEARS) await issueInvoiceBatch(setup.ctx, actor, year, { issueDate: `${year - 1}-10-01` });
const financeToken = addUser(setup.ctx, actor, { username: 'bench-finance', role: 'finance', state: null }).token;
const invoices = listInvoices(setup.ctx, {}, null);
const setupMs = nowMs() - t0;

// The statement: 9,000 credits each paying a fifth of an invoice (never more than it asks), quoting its reference; 1,000 without one.
const iban = DEMO_ISSUER.bank.iban.replace(/\s+/g, '');
const entries: WriterEntry[] = [];
const keyed: Record<string, string>[] = [];
for (let i = 0; i < ENTRIES; i++) {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const valueDate = `2020-${String(1 + Math.floor(i / 1000) % 12).padStart(2, '0')}-${day}`;
  const ref = `BNK${String(i).padStart(8, '0')}`;
  if (i < MATCHED) {
    const inv = invoices[i % invoices.length]!;
    const amount = formatMoney(parseMoney(inv.total) / 5n);
    entries.push({ ref, direction: 'credit', amount, valueDate, debtorName: `Treasury of ${inv.iso3}`, creditorReference: inv.creditorReference });
    keyed.push({ iso3: inv.iso3, amount, receivedOn: valueDate, reference: inv.creditorReference, bankReference: ref, invoice: inv.number, purpose: 'assessed' });
  } else entries.push({ ref, direction: 'credit', amount: `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`, valueDate, unstructured: [`Contribution ${states[i % states.length]!.name}`] });
}
const xml = camt053({ messageId: 'BENCH-10000', createdAt: '2021-01-05T06:00:00', statements: [{ id: 'BENCH-STMT-1', sequence: 1, iban, from: '2020-01-01', to: '2020-12-31', opening: '0.00', entries }] });
setup.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const template = path.join(setup.dir, 'isu.sqlite');

/** A fresh copy of the prepared database, opened as the server opens it (synchronous=FULL). */
function copy(n: number): { ctx: Ctx; close(): void } {
  const file = path.join(setup.dir, `run-${n}.sqlite`);
  fs.copyFileSync(template, file);
  const { db, sqlite, close } = openDatabase(file, { migrate: false });
  return {
    ctx: { db, sqlite, invoiceDir: path.join(setup.dir, 'invoices') },
    close() {
      close();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    },
  };
}

const parseMs: number[] = [];
const matchMs: number[] = [];
const importMs: number[] = [];
let check = '';
for (let run = 0; run < RUNS; run++) {
  parseMs.push(timeSync(() => parseCamt(xml)));
  const c = copy(run);
  const lines = parseCamt(xml).statements[0]!.lines;
  matchMs.push(
    timeSync(() => {
      for (const l of lines)
        decide(
          c.ctx.sqlite,
          { id: 0, iban, entryKey: l.entryKey, direction: l.direction, valueDate: l.valueDate, amountCentimes: l.amountCentimes, currency: l.currency, originalCurrency: null, originalAmount: null, structuredReference: l.structuredReference, unstructured: l.unstructured, debtorName: l.debtorName },
          { role: 'operating', lockedThrough: null, liveBankReference: () => null },
        );
    }),
  );
  let result: ReturnType<typeof importBankFile>['result'] | undefined;
  importMs.push(timeSync(() => (result = importBankFile(c.ctx, actor, xml).result)));
  const paid = (c.ctx.sqlite.prepare('SELECT COALESCE(SUM(amount_centimes), 0) AS s FROM payments').safeIntegers(true).get() as { s: bigint }).s;
  const expected = keyed.reduce((s, k) => s + parseMoney(k.amount!), 0n);
  if (result!.counts.paymentsRecorded !== MATCHED || result!.counts.queued !== ENTRIES - MATCHED || paid !== expected)
    throw new Error(`the import is not exact: ${JSON.stringify(result!.counts)}, paid ${formatMoney(paid)} for ${formatMoney(expected)}`);
  check = `${result!.counts.paymentsRecorded} payments for CHF ${formatMoney(paid)}, ${result!.counts.queued} queued`;
  c.close();
}

// The baseline: the same payments keyed one by one through POST /payments (its own transaction each), over HTTP on
// loopback: a listening server and fetch (undici, kept-alive connection), client and server in this process.
const base = copy(99);
const app = await buildApp(base.ctx);
const address = await app.listen({ host: '127.0.0.1', port: 0 });
const keyedCount = QUICK ? 1000 : keyed.length;
const post = async (i: number) => {
  const res = await fetch(`${address}/api/v1/payments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${financeToken}`, 'idempotency-key': `bench-${i}`, 'content-type': 'application/json' },
    body: JSON.stringify(keyed[i]!),
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`POST /payments ${res.status}: ${body}`);
};
await post(0); // the first request opens the connection and warms the route; not counted
const t1 = nowMs();
for (let i = 1; i <= keyedCount - 1; i++) await post(i);
const keyedMs = ((nowMs() - t1) * keyed.length) / (keyedCount - 1);
await app.close();
base.close();
setup.close();

const imp = median(importMs);
const figures: Figure[] = [
  {
    name: 'bank.import-10000',
    value: round(imp, 0),
    unit: 'ms',
    target: '< 2000',
    baseline: round(keyedMs, 0),
    ratio: round(keyedMs / imp, 1),
    note: `camt.053 of ${ENTRIES} entries (${(xml.length / 2 ** 20).toFixed(1)} MiB), ${MATCHED} matched by RF over ${invoices.length} invoices: ${check}; median of ${RUNS} runs, each into a fresh copy of the database; baseline: the same ${keyed.length} payments through POST /api/v1/payments one by one over HTTP on 127.0.0.1 (listening server, fetch, kept-alive connection, client in the bench process)${keyedCount < keyed.length ? `, timed on the first ${keyedCount - 1} after one warm-up and extrapolated` : ', after one warm-up request'}`,
  },
  { name: 'bank.parse-10000', value: round(median(parseMs), 0), unit: 'ms', target: null, note: 'XML validation and parse (fast-xml-parser), amounts to centimes' },
  { name: 'bank.match-10000', value: round(median(matchMs), 0), unit: 'ms', target: null, note: "deciding every line's match: its reference's invoice or reminder, cancellation, period lock" },
  { name: 'bank.record-10000', value: round(imp - median(parseMs) - median(matchMs), 0), unit: 'ms', target: null, note: 'the rest of the import: lines, 9,000 payments through the payments service with their ledger entries, applications and audit rows, one commit' },
  { name: 'bank.keyed-per-payment', value: round(keyedMs / keyed.length, 2), unit: 'ms', target: null, note: 'POST /api/v1/payments over HTTP, one payment per request and transaction' },
  { name: 'bank.setup', value: round(setupMs, 0), unit: 'ms', target: null, note: '200 States × 10 years of invoices (not part of the measurement)' },
];
report('bank', figures);
