/**
 * Crash safety: a child process issuing the invoice batch is killed with
 * SIGKILL at random points. After each kill the ledger verifies, no invoice is
 * half-written (a row without its journal entry, lines or PDF hash), numbering
 * is gapless, and re-running the batch completes it.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_BUDGET_2018, DEMO_ISSUER, SEED_DIR } from '../../src/services/demo.js';
import { createScale, parseScaleCsv } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates, parseStatesCsv } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { scaleCreate } from '../../src/schemas/scales.js';
import { stateImport } from '../../src/schemas/states.js';
import { tempDir } from '../helpers.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');
const KILLS = Number.parseInt(process.env.CRASH_KILLS ?? '', 10) || 6;

function prepare(dbPath: string) {
  const { db, sqlite, close } = openDatabase(dbPath, { migrate: true });
  const ctx = { db, sqlite, invoiceDir: '' };
  const actor = cliActor('test');
  importStates(ctx, actor, stateImport.parse({ states: parseStatesCsv(fs.readFileSync(path.join(SEED_DIR, 'states-parties-2017.csv'), 'utf8')).states }).states);
  createScale(ctx, actor, scaleCreate.parse({ code: 'UN-2016-2018', title: 't', source: 's', rates: parseScaleCsv(fs.readFileSync(path.join(SEED_DIR, 'un-scale-2016-2018.csv'), 'utf8')).rates }));
  createBudget(ctx, actor, budgetCreate.parse(DEMO_BUDGET_2018));
  setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
  close();
}

function inspect(dbPath: string, invoiceDir: string) {
  const { sqlite, close } = openDatabase(dbPath);
  try {
    const report = verifyLedger({ sqlite, invoiceDir });
    const halfWritten = sqlite
      .prepare(
        `SELECT i.number FROM invoices i
          LEFT JOIN journal_entries j ON j.id = i.journal_entry_id AND j.ref_id = i.number
          WHERE j.id IS NULL OR length(i.pdf_sha256) <> 64
             OR (SELECT count(*) FROM invoice_lines l WHERE l.invoice_number = i.number) <> 2`,
      )
      .all();
    const orphanEntries = sqlite.prepare("SELECT j.id FROM journal_entries j WHERE j.kind = 'invoice' AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.number = j.ref_id)").all();
    const seqs = (sqlite.prepare('SELECT seq FROM invoices WHERE year = 2018 ORDER BY seq').all() as { seq: number }[]).map((r) => r.seq);
    return { report, halfWritten, orphanEntries, seqs };
  } finally {
    close();
  }
}

describe('killing the invoice batch', () => {
  it(`survives ${KILLS} SIGKILLs at random points and completes on re-run`, async () => {
    const dir = tempDir();
    const env = { ...process.env, ISU_DB: path.join(dir, 'crash.sqlite'), ISU_INVOICE_DIR: path.join(dir, 'invoices') };
    prepare(env.ISU_DB);
    let seed = 20181;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const progress: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // One process (node with the tsx loader), so that SIGKILL hits the process doing the work, not a wrapper.
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'invoices', 'issue', '--year', '2018', '--issue-date', '2017-09-15'], {
        env,
        cwd: PROJECT_ROOT,
        stdio: 'ignore',
      });
      const before = progress.at(-1) ?? 0;
      // Wait until the batch is under way (a new invoice appears), then kill at a random moment.
      const started = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 25));
        const { sqlite, close } = openDatabase(env.ISU_DB, { readonly: true });
        const n = (sqlite.prepare('SELECT count(*) AS n FROM invoices').get() as { n: number }).n;
        close();
        if (n > before || Date.now() - started > 20_000 || child.exitCode !== null) break;
      }
      await new Promise((r) => setTimeout(r, Math.floor(random() * 120)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const state = inspect(env.ISU_DB, env.ISU_INVOICE_DIR);
      expect(state.report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(state.halfWritten).toEqual([]);
      expect(state.orphanEntries).toEqual([]);
      expect(state.seqs).toEqual(state.seqs.map((_, i) => i + 1));
      progress.push(state.seqs.length);
    }
    expect(progress.at(-1)!).toBeLessThan(103); // the kills did interrupt the batch
    const rerun = spawnSync(TSX, [MAIN, 'invoices', 'issue', '--year', '2018', '--issue-date', '2017-09-15', '--json'], { env, encoding: 'utf8' });
    expect(rerun.status).toBe(0);
    const result = JSON.parse(rerun.stdout);
    expect(result.issued.length + result.alreadyIssued).toBe(103);
    expect(result.alreadyIssued).toBe(progress.at(-1));
    const done = inspect(env.ISU_DB, env.ISU_INVOICE_DIR);
    expect(done.seqs).toEqual(Array.from({ length: 103 }, (_, i) => i + 1));
    expect(done.report.ok).toBe(true);
    expect(done.report.checks.find((c) => c.name.startsWith('PDFs on disk'))?.detail).toBe('ok'); // every PDF written, none altered
    console.log(`crash: ${KILLS} SIGKILLs; invoices committed after each kill: ${progress.join(', ')}; re-run issued ${result.issued.length}, restored ${result.pdfsRestored} PDF(s)`);
  }, 300_000);
});
