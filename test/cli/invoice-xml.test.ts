/** `isu invoices xml NUMBER [--out FILE]` (issue 17): the e-invoice XML of an invoice or a credit note, as the API answers it. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { cliActor } from '../../src/services/actor.js';
import { cancelInvoice, creditNoteXml, invoiceXml, listInvoices } from '../../src/services/invoices.js';
import { makeIssued2018Env, type TestEnv } from '../helpers.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

let env: TestEnv;
const isu = (...args: string[]) => {
  const r = spawnSync(TSX, [MAIN, ...args], {
    env: { ...process.env, ISU_DB: env.dbPath, ISU_INVOICE_DIR: path.join(env.dir, 'invoices'), ISU_OUTBOX_DIR: path.join(env.dir, 'outbox'), ISU_SMTP_URL: '' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  env = await makeIssued2018Env();
});
afterAll(() => env.close());

describe('isu invoices xml', () => {
  it('prints an invoice’s XML, writes a credit note’s to --out, and fails on an unknown number', async () => {
    const [fra, mex] = listInvoices(env.ctx, {}, null).map((i) => i.number);
    const cn = (await cancelInvoice(env.ctx, cliActor('test'), mex!, { reason: 'cli test', date: '2017-10-02' })).number;
    const printed = isu('invoices', 'xml', fra!);
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(invoiceXml(env.ctx, fra!, null));
    const out = path.join(env.dir, 'cn.xml');
    const written = isu('invoices', 'xml', cn, '--out', out);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toMatch(new RegExp(`^${cn} as EN 16931 CII XML written to`));
    expect(fs.readFileSync(out, 'utf8')).toBe(creditNoteXml(env.ctx, cn, null));
    expect(isu('invoices', 'xml', 'ISU-2018-0999')).toMatchObject({ code: 1, stderr: 'isu: Invoice or credit note ISU-2018-0999 was not found\n' });
  });
});
