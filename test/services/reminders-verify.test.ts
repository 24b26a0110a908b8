/** isu verify and reminder letters: a letter never asks for more than the invoices it lists leave. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/services/verify.js';
import { registerWithInvoices } from '../bank-fixtures.js';
import type { TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await registerWithInvoices();
});
afterAll(() => env.close());

const failing = () => verifyLedger(env.ctx).checks.filter((c) => !c.ok);
const letter = (number: string, totalCentimes: number, iso3 = 'MEX') =>
  env.ctx.sqlite
    .prepare(
      `INSERT INTO reminders (number, state_iso3, as_of, issue_date, level, total_centimes, reference, language, document, pdf_sha256, created_by)
       VALUES (?, ?, '2018-04-30', ?, 1, ?, ?, 'es', '{}', ?, 'test')`,
    )
    .run(number, iso3, `2018-05-0${number.slice(-1)}`, totalCentimes, `RF-${number}`, 'a'.repeat(64));
const line = (number: string, outstandingCentimes: number) =>
  env.ctx.sqlite
    .prepare("INSERT INTO reminder_lines (reminder_number, invoice_number, due_date, outstanding_centimes) VALUES (?, 'ISU-2018-0003', '2018-03-31', ?)")
    .run(number, outstandingCentimes);

describe('verify: reminder letters', () => {
  it('passes a letter asking for exactly, or less than, what its lines leave', () => {
    letter('REM-2018-0001', 1000_00);
    line('REM-2018-0001', 1000_00);
    letter('REM-2018-0002', 400_00);
    line('REM-2018-0002', 1000_00);
    expect(failing()).toEqual([]);
  });

  it('reports a letter asking one centime more than its lines leave, and one without lines', () => {
    letter('REM-2018-0003', 1000_01);
    line('REM-2018-0003', 1000_00);
    letter('REM-2018-0004', 5_00);
    expect(failing()).toEqual([
      { name: 'every reminder letter asks for no more than the invoices it lists leave', ok: false, detail: 'letters REM-2018-0003, REM-2018-0004' },
    ]);
  });
});
