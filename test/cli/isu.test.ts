import { spawn, spawnSync } from 'node:child_process';
import { pdfText } from '../pdf-text.js';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { demoBudgetLines } from '../../src/services/demo.js';
import { tempDir } from '../helpers.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

function isu(dbPath: string, ...args: string[]) {
  const r = spawnSync(TSX, [MAIN, ...args], {
    env: { ...process.env, ISU_DB: dbPath, ISU_INVOICE_DIR: path.join(path.dirname(dbPath), 'invoices'), ISU_OUTBOX_DIR: path.join(path.dirname(dbPath), 'outbox'), ISU_SMTP_URL: '' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('isu on the demo database', () => {
  let dbPath: string;
  beforeAll(() => {
    dbPath = path.join(tempDir(), 'demo.sqlite');
    const r = isu(dbPath, 'seed-demo');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/103 States, 103 assessed for 2018; 297 invoices for 2016–2018 \(103 for 2018\), \d+ payments; 103 invoice e-mails written to \S+outbox\n$/);
  });

  it('the demo wrote its 2018 invoices to the outbox; send skips them, sends a statement, refuses a bad request; deliveries lists the log', () => {
    const outbox = path.join(path.dirname(dbPath), 'outbox');
    expect(fs.readdirSync(path.join(outbox, 'invoices')).filter((f) => f.endsWith('.eml'))).toHaveLength(103);
    const again = isu(dbPath, 'send', 'invoices', '--year', '2018');
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(`invoices: 0 written to the outbox ${outbox}, 0 failed, 103 skipped (already delivered: 103)\n`);
    const st = isu(dbPath, 'send', 'statements', '--as-of', '2018-06-30', '--state', 'FRA', 'MEX', '--json');
    expect(st.code).toBe(0);
    const run = JSON.parse(st.stdout);
    expect(run).toMatchObject({ transport: 'file', written: 2, failed: 0 });
    expect(run.deliveries.map((d: { response: string }) => d.response)).toEqual(['statements/FRA@2018-06-30--mission.fra@example.org.eml', 'statements/MEX@2018-06-30--mission.mex@example.org.eml']);
    expect(fs.existsSync(path.join(outbox, run.deliveries[0].response))).toBe(true);
    expect(isu(dbPath, 'send', 'invoices')).toMatchObject({ code: 1, stderr: expect.stringMatching(/year: give year or numbers/) });
    expect(isu(dbPath, 'send', 'statements', '--as-of', '2018-06-31').code).toBe(2);
    expect(isu(dbPath, 'send', 'retry').stdout).toBe(`retry: 0 written to the outbox ${outbox}, 0 failed, 0 skipped\n`);
    const log = isu(dbPath, 'deliveries', '--kind', 'statements');
    expect(log.stdout).toMatch(/^Kind\s+Document\s+ISO3\s+Recipient\s+Status/);
    expect(log.stdout).toMatch(/statements\s+FRA@2018-06-30\s+FRA\s+mission\.fra@example\.org\s+written\s+1\s+\S+\s+statements\/FRA@2018-06-30--mission\.fra@example\.org\.eml/);
    expect(log.stdout.trim().split('\n')).toHaveLength(4);
    expect(JSON.parse(isu(dbPath, 'deliveries', '--status', 'written', '--json').stdout)).toHaveLength(105);
  });

  it('verify passes on the demo database', () => {
    const r = isu(dbPath, 'verify');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ledger verified/);
  });

  it('close: the demo closed 2015–2017 (closing again posts nothing), 2018 closes in order; report financial-statement --json is the API document', async () => {
    expect(isu(dbPath, 'close', '--year', '2017', '--reason', 'again')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^2017 was already closed: closing entry \d+; surplus CHF 164000\.00 to the accumulated fund; locked through 2017-12-31\n$/) });
    expect(isu(dbPath, 'close', '--year', '20x7', '--reason', 'x').code).toBe(2);
    const fs2017 = JSON.parse(isu(dbPath, 'report', 'financial-statement', '--year', '2017', '--json').stdout);
    const { db, sqlite, close } = openDatabase(dbPath, { migrate: false });
    const app = await buildApp({ db, sqlite, invoiceDir: path.join(path.dirname(dbPath), 'invoices') });
    const res = await app.inject({ url: '/api/v1/reports/financial-statement?year=2017', headers: { authorization: 'Bearer demo-token-finance' } });
    await app.close();
    close();
    expect(res.json()).toEqual(fs2017);
    expect(fs2017.incomeAndExpenditure.surplus).toEqual({ current: '164000.00', previous: '130000.04' });
    const table = isu(dbPath, 'report', 'financial-statement', '--year', '2017');
    expect(table.stdout).toMatch(/Surplus \(deficit\)\s+164000\.00\s+130000\.04/);
    expect(table.stdout).toMatch(/Accumulated fund\s+844000\.04\s+680000\.04/);
    // --pdf FILE and --xlsx FILE write the API's bytes; the PDF carries the totals.
    const dir = tempDir();
    const pdfFile = path.join(dir, 'fs-2017.pdf');
    expect(isu(dbPath, 'report', 'financial-statement', '--year', '2017', '--pdf', pdfFile).stdout).toBe(
      `financial statement 2017 (surplus 164000.00, total assets 1263505.50) written to ${pdfFile} (${fs.statSync(pdfFile).size} bytes)\n`,
    );
    const text = (await pdfText(fs.readFileSync(pdfFile))).replace(/\s+/g, ' ');
    expect(text).toContain('Surplus (deficit) for the year 164,000.00 130,000.04');
    expect(text).toContain('Total assets 1,263,505.50');
    const execPdf = path.join(dir, 'exec-2017.pdf');
    const execXlsx = path.join(dir, 'exec-2017.xlsx');
    expect(isu(dbPath, 'report', 'execution', '--year', '2017', '--as-of', '2017-12-31', '--pdf', execPdf, '--xlsx', execXlsx).code).toBe(0);
    const exec = JSON.parse(isu(dbPath, 'report', 'execution', '--year', '2017', '--as-of', '2017-12-31', '--json').stdout) as { totals: Record<'approved' | 'revised' | 'spent' | 'remaining' | 'percentSpent', string> };
    const grouped = (a: string) => a.replace(/^\d+/, (i) => i.replace(/\B(?=(\d{3})+$)/g, ','));
    const t = exec.totals;
    expect((await pdfText(fs.readFileSync(execPdf))).replace(/\s+/g, ' ')).toContain(
      `Total ${grouped(t.approved)} ${grouped(t.revised)} ${grouped(t.spent)} ${grouped(t.remaining)} ${t.percentSpent} %`,
    );
    const { db: db2, sqlite: sqlite2, close: close2 } = openDatabase(dbPath, { migrate: false });
    const app2 = await buildApp({ db: db2, sqlite: sqlite2, invoiceDir: path.join(path.dirname(dbPath), 'invoices') });
    const apiPdf = await app2.inject({ url: '/api/v1/budgets/2017/execution?asOf=2017-12-31', headers: { authorization: 'Bearer demo-token-auditor', accept: 'application/pdf' } });
    const apiXlsx = await app2.inject({ url: '/api/v1/budgets/2017/execution?asOf=2017-12-31', headers: { authorization: 'Bearer demo-token-auditor', accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    await app2.close();
    close2();
    expect(apiPdf.rawPayload.equals(fs.readFileSync(execPdf))).toBe(true);
    expect(apiXlsx.rawPayload.equals(fs.readFileSync(execXlsx))).toBe(true);
  });

  it('assess --json prints the same document as GET /api/v1/budgets/{year}/assessment', async () => {
    const cli = isu(dbPath, 'assess', '--year', '2018', '--json');
    expect(cli.code).toBe(0);
    expect(cli.stdout.trim().split('\n')).toHaveLength(1);
    const { db, sqlite, close } = openDatabase(dbPath);
    const app = await buildApp({ db, sqlite, invoiceDir: tempDir() });
    const api = await app.inject({ url: '/api/v1/budgets/2018/assessment', headers: { authorization: 'Bearer demo-token-presidency' } });
    await app.close();
    close();
    expect(api.statusCode).toBe(200);
    expect(cli.stdout.trim()).toBe(api.body);
    const doc = JSON.parse(cli.stdout);
    expect(doc).toMatchObject({ year: 2018, states: 103, amount: '590000.00', total: '590000.00' });
  });

  it('report status --xlsx FILE writes the same bytes as the API with Accept XLSX, figures as numbers equal to --json', async () => {
    const file = path.join(tempDir(), 'status.xlsx');
    const cli = isu(dbPath, 'report', 'status', '--year', '2018', '--as-of', '2018-06-30', '--xlsx', file);
    expect(cli.stderr).toBe('');
    const json = JSON.parse(isu(dbPath, 'report', 'status', '--year', '2018', '--as-of', '2018-06-30', '--json').stdout) as { rows: { iso3: string; outstanding: string }[]; totals: { outstanding: string } };
    expect(cli.stdout).toBe(`status of contributions 2018 as of 2018-06-30 (${json.rows.length} States, total outstanding ${json.totals.outstanding}) written to ${file} (${fs.statSync(file).size} bytes)\n`);
    const { db, sqlite, close } = openDatabase(dbPath);
    const app = await buildApp({ db, sqlite, invoiceDir: tempDir() });
    const api = await app.inject({
      url: '/api/v1/reports/status-of-contributions?year=2018&asOf=2018-06-30',
      headers: { authorization: 'Bearer demo-token-presidency', accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    await app.close();
    close();
    expect(api.rawPayload.equals(fs.readFileSync(file))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const outstanding = ws.getRow(3).values as unknown[];
    const col = outstanding.indexOf('2018: outstanding');
    json.rows.forEach((r, i) => expect([ws.getRow(4 + i).getCell(1).value, ws.getRow(4 + i).getCell(col).value]).toEqual([r.iso3, Number(r.outstanding)]));
    expect((ws.getRow(4 + json.rows.length).getCell(col).value as number).toFixed(2)).toBe(json.totals.outstanding);
  });

  it('assess prints a table whose footer is the budget, and fails clearly for an unknown year', () => {
    const table = isu(dbPath, 'assess', '--year', '2018');
    expect(table.stdout).toMatch(/103 States\s+177000\.00\s+413000\.00\s+590000\.00/);
    const missing = isu(dbPath, 'assess', '--year', '2099');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/budget for 2099 was not found/);
  });

  it('ends quietly when the reader closes the pipe (isu report status | head -1)', () => {
    const env = { ...process.env, ISU_DB: dbPath, ISU_INVOICE_DIR: path.join(path.dirname(dbPath), 'invoices'), ISU_OUTBOX_DIR: path.join(path.dirname(dbPath), 'outbox'), ISU_SMTP_URL: '' };
    // Many repeats so that the report outlives the reader: `head` exits after its first line, the writer then hits EPIPE.
    const cmd = `for i in 1 2 3 4 5 6 7 8; do "${TSX}" "${MAIN}" report status --year 2018 || echo "exit $?" >&2; done | head -1`;
    const r = spawnSync('bash', ['-c', cmd], { env, encoding: 'utf8' });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toBe('');
  });

  it('user add --json prints exactly one JSON line and the token works; token create too', async () => {
    const r = isu(dbPath, 'user', 'add', '--username', 'treasurer', '--role', 'finance', '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0]!);
    expect(Object.keys(created)).toEqual(['username', 'role', 'password', 'token']);
    expect(created).toMatchObject({ username: 'treasurer', role: 'finance' });
    const t = isu(dbPath, 'token', 'create', '--username', 'treasurer', '--json');
    const { token } = JSON.parse(t.stdout);
    expect(token).not.toBe(created.token);
    const { db, sqlite, close } = openDatabase(dbPath);
    const app = await buildApp({ db, sqlite, invoiceDir: tempDir() });
    for (const tk of [created.token, token]) {
      const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${tk}` } });
      expect(me.json()).toEqual({ username: 'treasurer', role: 'finance', state: null });
    }
    await app.close();
    close();
    const state = isu(dbPath, 'user', 'add', '--username', 'mission-x', '--role', 'state', '--json');
    expect(state.code).toBe(1);
    expect(state.stderr).toMatch(/state: a state user needs --state/);
  });

  it('budgets revise raises the 2018 budget with supplementary invoices; the same decision again completes nothing more; assess --version reads each version', () => {
    const base = ['budgets', 'revise', '--year', '2018', '--amount', '600000.00', '--decision', 'CCM/MSP/2018/R1', '--approved-on', '2018-06-01', '--reason', 'Budget raised', '--issue-date', '2018-06-04'];
    // The demo budget has lines: a new amount needs its lines (SPEC 9.5).
    const noLines = isu(dbPath, ...base);
    expect(noLines.code).toBe(1);
    expect(noLines.stderr).toMatch(/lines: the 2018 budget has lines: give the revised lines, summing to 600000\.00/);
    const linesFile = path.join(tempDir(), 'lines.json');
    fs.writeFileSync(linesFile, JSON.stringify(demoBudgetLines('600000.00')));
    const args = [...base, '--lines', linesFile];
    const r = isu(dbPath, ...args);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '2018 budget revised: version 2 (CCM/MSP/2018/R1), CHF 590000.00 → CHF 600000.00; 103 supplementary invoice(s) for CHF 10000.00, 0 credit note(s) for CHF 0.00\n',
    );
    expect(isu(dbPath, ...args).stdout).toMatch(/^2018 budget revision completed: version 2 .* 103 supplementary invoice\(s\) for CHF 10000\.00/);
    const bad = isu(dbPath, 'budgets', 'revise', '--year', '2018', '--amount', '12.345', '--decision', 'X', '--approved-on', '2018-06-01', '--reason', 'r');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/amount: must be a non-negative CHF amount/);
    expect(isu(dbPath, 'assess', '--year', '2018', '--version', '1').stdout).toMatch(/103 States\s+177000\.00\s+413000\.00\s+590000\.00/);
    expect(isu(dbPath, 'assess', '--year', '2018').stdout).toMatch(/103 States\s+180000\.00\s+420000\.00\s+600000\.00/);
    expect(JSON.parse(isu(dbPath, 'report', 'execution', '--year', '2018', '--as-of', '2018-06-30', '--json').stdout)).toMatchObject({ version: 2, totals: { approved: '590000.00', revised: '600000.00' } });
    expect(isu(dbPath, 'verify').code).toBe(0);
  });

  it('reverse takes an expenditure or a reserve movement, exactly one', () => {
    expect(isu(dbPath, 'reverse', '--reason', 'x')).toMatchObject({ code: 2, stderr: expect.stringMatching(/give --expenditure ID or --reserve-movement ID/) });
    expect(isu(dbPath, 'reverse', '--expenditure', '1', '--reserve-movement', '1', '--reason', 'x').code).toBe(2);
    expect(isu(dbPath, 'reverse', '--reserve-movement', '999999', '--reason', 'x')).toMatchObject({ code: 1, stderr: expect.stringMatching(/999999 was not found/) });
    const { sqlite, close } = openDatabase(dbPath);
    const restoration = (sqlite.prepare("SELECT id FROM reserve_movements WHERE kind = 'restoration' ORDER BY id DESC").get() as { id: number }).id;
    close();
    const r = isu(dbPath, 'reverse', '--reserve-movement', String(restoration), '--reason', 'Restoration keyed twice');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^reserve movement ${restoration} reversed on \\d{4}-\\d{2}-\\d{2}\\n$`));
    expect(isu(dbPath, 'verify').code).toBe(0);
  });

  it('reminders list --json prints GET /api/v1/reminders; reminders issue writes the letters once per day and names bad input', async () => {
    const cli = isu(dbPath, 'reminders', 'list', '--as-of', '2018-06-30', '--json');
    expect(cli.code).toBe(0);
    const { db, sqlite, close } = openDatabase(dbPath);
    const app = await buildApp({ db, sqlite, invoiceDir: tempDir() });
    const api = await app.inject({ url: '/api/v1/reminders?asOf=2018-06-30', headers: { authorization: 'Bearer demo-token-presidency' } });
    await app.close();
    close();
    expect(cli.stdout.trim()).toBe(api.body);
    const due = JSON.parse(cli.stdout) as { totals: { states: number; toPay: string } };
    expect(due.totals.states).toBeGreaterThan(10);
    const table = isu(dbPath, 'reminders', 'list', '--as-of', '2018-06-30');
    expect(table.stdout).toMatch(new RegExp(`^States to remind as of 2018-06-30: ${due.totals.states}\\n`));
    expect(table.stdout).toMatch(new RegExp(`\\n\\s+Total\\s+.*\\s${due.totals.toPay.replace('.', '\\.')}\\s*\\n$`));

    const issued = isu(dbPath, 'reminders', 'issue', '--as-of', '2018-06-30', '--date', '2018-07-02');
    expect(issued.stderr).toBe('');
    expect(issued.stdout).toMatch(new RegExp(`^${due.totals.states} reminder letter\\(s\\) issued \\(REM-2018-0001 … REM-2018-${String(due.totals.states).padStart(4, '0')}\\) dated 2018-07-02, figures as of 2018-06-30\\n`));
    const again = isu(dbPath, 'reminders', 'issue', '--as-of', '2018-06-30', '--date', '2018-07-02', '--state', 'AFG');
    expect(again.stdout).toMatch(/^0 reminder letter\(s\) issued dated 2018-07-02, figures as of 2018-06-30; 1 already issued that day\n/);
    expect(again.stdout).toMatch(/REM-2018-0001\s+AFG\s+1\s+[0-9.]+\s+RF60REM20180001\s+already issued/);
    expect(isu(dbPath, 'reminders', 'issue', '--as-of', '2018-06-30', '--state', 'NOR')).toMatchObject({ code: 1, stderr: expect.stringMatching(/states\.0: NOR has nothing overdue beyond its credit/) });
    expect(isu(dbPath, 'reminders', 'issue', '--as-of', '2018-06-31')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--as-of must be a date/) });
    expect(isu(dbPath, 'reminders', 'issue', '--as-of', '2018-07-03', '--date', '2018-07-02')).toMatchObject({ code: 1, stderr: expect.stringMatching(/asOf: must not be after the issue date 2018-07-02/) });

    // send reminders: the letters of that day are kept (none issued twice) and each goes once to its State's billing e-mails
    const sent = isu(dbPath, 'send', 'reminders', '--as-of', '2018-06-30', '--date', '2018-07-02', '--state', 'AFG', 'BDI', '--json');
    expect(sent.stderr).toBe('');
    const out = JSON.parse(sent.stdout);
    expect(out.reminders).toMatchObject({ issued: 0, existing: 2 });
    expect(out.delivery).toMatchObject({ transport: 'file', written: 2, failed: 0 });
    expect(out.delivery.deliveries.map((d: { document: string }) => d.document)).toEqual(['REM-2018-0001', out.reminders.letters[1].number]);
    const sentAgain = isu(dbPath, 'send', 'reminders', '--as-of', '2018-06-30', '--date', '2018-07-02', '--state', 'AFG', 'BDI');
    expect(sentAgain.stdout).toMatch(/^0 reminder letter\(s\) issued, 2 already issued on 2018-07-02, figures as of 2018-06-30\nreminders: 0 written to the outbox .*, 0 failed, 2 skipped \(already delivered: 2\)\n$/);
  });
});

describe('isu verify on a breached ledger', () => {
  it('exits non-zero when an unbalanced entry was forced in', () => {
    const dbPath = path.join(tempDir(), 'breach.sqlite');
    expect(isu(dbPath, 'seed-demo').code).toBe(0);
    expect(isu(dbPath, 'verify').code).toBe(0);
    const { sqlite, close } = openDatabase(dbPath);
    const entry = sqlite.prepare("INSERT INTO journal_entries (entry_date, kind, description, actor) VALUES ('2018-01-15', 'forged', 'forced in by the test', 'test')").run();
    sqlite.prepare("INSERT INTO postings (entry_id, account_code, state_iso3, amount_centimes) VALUES (?, '1100', 'FRA', 100000)").run(entry.lastInsertRowid);
    sqlite.prepare("INSERT INTO postings (entry_id, account_code, amount_centimes) VALUES (?, '4100', -99999)").run(entry.lastInsertRowid);
    close();
    const r = isu(dbPath, 'verify');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+every journal entry balances: 1 unbalanced entry/);
    expect(r.stdout).toMatch(/FAIL\s+the trial balance is zero: postings sum to 1 centimes/);
    expect(r.stdout).toMatch(/LEDGER BREACH/);
  });
});

/** The `isu` bin: the compiled program (dist/, built once by test/global-setup.ts), run by node without a TypeScript loader, as `npm start` runs it. */
const BIN = path.join(PROJECT_ROOT, 'bin', 'isu.mjs');

describe('isu serve and npm start (the compiled program)', () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGTERM')));

  function startServer(dbPath: string, command: string): Promise<{ base: string; out: () => string }> {
    const env = { ...process.env, ISU_DB: dbPath, ISU_INVOICE_DIR: path.join(path.dirname(dbPath), 'invoices'), ISU_OUTBOX_DIR: path.join(path.dirname(dbPath), 'outbox'), ISU_SMTP_URL: '', PORT: '0', HOST: '127.0.0.1' };
    const child = spawn(process.execPath, [BIN, command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /health\s+(http:\/\/[^/\s]+)\/api\/v1\/health/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve({ base: m[1]!, out: () => out });
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
  }

  it('start creates the demo database and serves health, docs and the 2018 assessment, printing logins', async () => {
    const dbPath = path.join(tempDir(), 'start.sqlite');
    const { base, out } = await startServer(dbPath, 'start');
    expect(out()).toMatch(/finance\s+password finance-demo\s+token demo-token-finance/);
    expect(await (await fetch(`${base}/api/v1/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/docs/`)).status).toBe(200);
    const a = await fetch(`${base}/api/v1/budgets/2018/assessment`, { headers: { authorization: 'Bearer demo-token-finance' } });
    expect(a.status).toBe(200);
    expect(((await a.json()) as { total: string }).total).toBe('590000.00');
  });

  it('serve never loads the demo', async () => {
    const dbPath = path.join(tempDir(), 'empty.sqlite');
    const { base, out } = await startServer(dbPath, 'serve');
    expect(out()).not.toMatch(/Demo logins/);
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);
    const { sqlite, close } = openDatabase(dbPath);
    const n = sqlite.prepare('SELECT (SELECT count(*) FROM states) + (SELECT count(*) FROM users) AS n').get() as { n: number };
    close();
    expect(n.n).toBe(0);
  });
});
