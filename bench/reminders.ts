/**
 * Reminder letters (SPEC 9.5) for 100 overdue States: the demo's register
 * and 2018 budget, its 103 invoices issued and none paid; then
 * issueReminders — the service POST /api/v1/reminders and the reminders page
 * call — for 100 of the States as of 2018-06-30 (after the cut-off), dated
 * today: for each State its overdue invoices read from the ledger, the letter
 * rendered as a PDF (pdfkit), the letter, its lines and the audit row in one
 * transaction (synchronous=FULL, as served), the PDF written after the commit.
 * Each run into a fresh copy of the prepared database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/client.js';
import { renderReminderPdf, type ReminderDocument } from '../src/pdf/reminder.js';
import type { Ctx } from '../src/services/context.js';
import { DEMO_ISSUE_DATE_2018 } from '../src/services/demo.js';
import { issueInvoiceBatch } from '../src/services/invoices.js';
import { issueReminders, remindersDue } from '../src/services/reminders.js';
import { QUICK, actor, freshDb, median, nowMs, prepareDemo2018, report, round, timeAsync, type Figure } from './lib.js';

const STATES = 100;
const AS_OF = '2018-06-30';
const RUNS = QUICK ? 3 : 7;

const setup = freshDb({ fast: true });
const t0 = nowMs();
prepareDemo2018(setup.ctx);
await issueInvoiceBatch(setup.ctx, actor, 2018, { issueDate: DEMO_ISSUE_DATE_2018 });
const due = remindersDue(setup.ctx, AS_OF);
if (due.states.length < STATES) throw new Error(`only ${due.states.length} States overdue on ${AS_OF}`);
const targets = due.states.slice(0, STATES).map((s) => s.iso3);
setup.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
const setupMs = nowMs() - t0;
const template = path.join(setup.dir, 'isu.sqlite');

function copy(n: number): { ctx: Ctx; close(): void } {
  const dir = path.join(setup.dir, `run-${n}`);
  fs.mkdirSync(dir);
  fs.copyFileSync(template, path.join(dir, 'isu.sqlite'));
  const { db, sqlite, close } = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: false });
  return {
    ctx: { db, sqlite, invoiceDir: path.join(dir, 'invoices') },
    close() {
      close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const walls: number[] = [];
let docs: ReminderDocument[] = [];
let bytes = 0;
for (let run = 0; run < RUNS; run++) {
  const c = copy(run);
  let issued = 0;
  walls.push(await timeAsync(async () => (issued = (await issueReminders(c.ctx, actor, { asOf: AS_OF, states: targets })).issued)));
  if (issued !== STATES) throw new Error(`${issued} letters issued for ${STATES} States`);
  if (run === RUNS - 1) {
    docs = (c.ctx.sqlite.prepare('SELECT document FROM reminders ORDER BY number').all() as { document: string }[]).map((r) => JSON.parse(r.document) as ReminderDocument);
    const dir = path.join(c.ctx.invoiceDir, 'reminders');
    bytes = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
  }
  c.close();
}
setup.close();

// Where the time goes: the same 100 letters rendered again, PDF only.
const render: number[] = [];
for (let run = 0; run < (QUICK ? 2 : 3); run++) render.push(await timeAsync(async () => { for (const d of docs) await renderReminderPdf(d); }));
const wall = median(walls);
const renderMs = median(render);

const figures: Figure[] = [
  {
    name: 'reminders.issue-100',
    value: round(wall, 0),
    unit: 'ms',
    target: '< 2000',
    note: `issueReminders for ${STATES} of the ${due.states.length} States overdue on ${AS_OF} (one 2018 invoice each), letters dated today; median of ${RUNS} runs, each into a fresh copy of the database; ${(bytes / 2 ** 10).toFixed(0)} KiB of PDFs`,
  },
  { name: 'reminders.per-letter', value: round(wall / STATES, 2), unit: 'ms', target: null, note: 'wall time / letters' },
  { name: 'reminders.render-100', value: round(renderMs, 0), unit: 'ms', target: null, note: `renderReminderPdf of the same ${STATES} letters alone (pdfkit): ${((100 * renderMs) / wall).toFixed(0)} % of the run; the rest is reading the ledger, the transactions with their fsync and the PDF files` },
  { name: 'reminders.setup', value: round(setupMs, 0), unit: 'ms', target: null, note: 'demo register, 2018 budget and its 103 invoices (not part of the measurement)' },
];
report('reminders', figures);
