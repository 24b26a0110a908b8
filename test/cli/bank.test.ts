/**
 * `isu import bank` and `isu bank …` on the demo database (SPEC 9.6): the
 * demo's own statement was imported when it was seeded; importing it again
 * records nothing and says so; a broken file fails with the problem and
 * writes nothing; the queue is worked from the command line until the
 * statement's closing balance agrees with the ledger.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { DEMO_BANK_STATEMENT } from '../../src/services/demo.js';
import { tempDir } from '../helpers.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

let dir: string;
let dbPath: string;
function isu(...args: string[]) {
  const r = spawnSync(TSX, [MAIN, ...args], { env: { ...process.env, ISU_DB: dbPath, ISU_INVOICE_DIR: path.join(dir, 'invoices') }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function counts(): Record<string, number> {
  const { sqlite, close } = openDatabase(dbPath);
  try {
    return Object.fromEntries(
      ['bank_statements', 'bank_lines', 'bank_line_actions', 'payments', 'journal_entries', 'audit_log'].map((t) => [t, (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
    );
  } finally {
    close();
  }
}

beforeAll(() => {
  dir = tempDir();
  dbPath = path.join(dir, 'demo.sqlite');
  const r = isu('seed-demo');
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe('isu and bank statements', () => {
  it('shows the demo queue: the line naming Lesotho with its suggestion, and the fee', () => {
    const r = isu('bank', 'lines', '--status', 'unmatched');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\s*\d+\s+2019-/.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/2019-01-22\s+in\s+1726\.87\s+CHF\s+EXB190122CR00068\s+Contribution 2018 Kingdom of Lesotho.*unmatched\s+LSO$/);
    expect(rows[1]).toMatch(/2019-01-31\s+out\s+18\.40\s+CHF\s+EXB190131DB00003\s+Account maintenance.*unmatched/);
    expect(r.stdout).toMatch(/: money out: book it as bank charges/);
    const json = JSON.parse(isu('bank', 'lines', '--json').stdout) as { status: string }[];
    expect(json.map((l) => l.status)).toEqual(['matched', 'matched', 'matched', 'matched', 'unmatched', 'unmatched']);
  });

  it('importing the same file again records nothing and says so; a broken file fails with the problem, nothing written', () => {
    const before = counts();
    const again = isu('import', 'bank', DEMO_BANK_STATEMENT);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^camt\.053\.001\.08 EXB-20190201-053-000201: already imported: nothing new recorded$/m);
    expect(again.stdout).toMatch(/closing balance CHF 519696\.26 on 2019-01-31; ledger cash \(1000 \+ 1010\) 517987\.79; difference 1708\.47/);
    const broken = path.join(dir, 'broken.xml');
    fs.writeFileSync(broken, fs.readFileSync(DEMO_BANK_STATEMENT, 'utf8').slice(0, 2000));
    const bad = isu('import', 'bank', broken);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^isu: the bank file was refused: body: malformed XML/);
    const wrong = path.join(dir, 'wrong.xml');
    fs.writeFileSync(wrong, fs.readFileSync(DEMO_BANK_STATEMENT, 'utf8').replace(/CH5604835012345678009/g, 'CH9300762011623852957'));
    const other = isu('import', 'bank', wrong);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/CH9300762011623852957, which is not one of the ISU's accounts \(CH5604835012345678009\)[\s\S]*Stmt\[1\]\.Acct\.Id\.IBAN/);
    expect(counts()).toEqual(before);
  });

  it('works the queue: Lesotho matched, the fee booked as bank charges; the statement then agrees with the ledger', () => {
    const lines = JSON.parse(isu('bank', 'lines', '--status', 'unmatched', '--json').stdout) as { id: number; direction: string }[];
    const [lso, fee] = [lines.find((l) => l.direction === 'credit')!, lines.find((l) => l.direction === 'debit')!];
    expect(isu('bank', 'match', String(lso.id), '--purpose', 'assessed').code).toBe(1);
    const m = isu('bank', 'match', String(lso.id), '--state', 'LSO', '--purpose', 'assessed', '--invoice', 'ISU-2018-0056');
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(new RegExp(`^bank line ${lso.id} \\(1726\\.87 on 2019-01-22\\) recorded as payment \\d+ for LSO$`, 'm'));
    const b = isu('bank', 'book', String(fee.id), '--as', 'bank-charges');
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(`bank line ${fee.id} (18.40 on 2019-01-31) booked as bank-charges\n`);
    const twice = isu('bank', 'ignore', String(fee.id), '--reason', 'again');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already dealt with \(bank-charges\)/);
    const s = isu('bank', 'statements');
    expect(s.stdout).toMatch(/053-CH5604835012345678009-2019-01\s+operating\s+6\s+0\s+519696\.26\s+2019-01-31\s+519696\.26\s+0\.00/);
    expect(isu('verify').code).toBe(0);
  });
});
