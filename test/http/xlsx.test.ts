/**
 * The reports as XLSX (issue 15), read back with exceljs: every figure of a
 * cell is a number, formatted #,##0.00, equal to the JSON's figure; the
 * totals too; the header row is frozen under the title and the as-of date;
 * the same data gives the same bytes. A State user gets its own statement
 * only (another State's is 404), and an Accept that allows none of the
 * route's types is still 406.
 */
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { seedDemo } from '../../src/services/demo.js';
import { HEADER_ROW, MONEY_FORMAT, moneyCell, renderWorkbook, sheetName, XLSX_MEDIA_TYPE } from '../../src/xlsx/workbook.js';
import { makeEnv, type TestEnv } from '../helpers.js';

const TOKENS: Record<string, string> = { finance: 'demo-token-finance', auditor: 'demo-token-auditor', france: 'demo-token-france' };
const FIGURES = ['priorAtStart', 'priorCollected', 'priorCredited', 'priorOutstanding', 'assessed', 'credited', 'collected', 'outstanding', 'received', 'inExcess', 'unappliedCredit'] as const;
type Figures = Record<(typeof FIGURES)[number], string>;

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  await seedDemo(env.ctx, cliActor('test'));
}, 180_000);
afterAll(() => env.close());

function get(url: string, user = 'finance', accept?: string): Promise<LightMyRequestResponse> {
  return env.app.inject({ url, headers: { authorization: `Bearer ${TOKENS[user]}`, ...(accept ? { accept } : {}) } });
}

async function read(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** A money cell: a number, formatted #,##0.00, that is the JSON's 2-decimal string (an empty cell for ""). */
function expectMoney(c: ExcelJS.Cell, json: string, where: string): void {
  if (json === '') return void expect(c.value, where).toBeNull();
  expect(typeof c.value, where).toBe('number');
  expect((c.value as number).toFixed(2), where).toBe(json);
  expect(c.value, where).toBe(Number(json));
  expect(c.numFmt, where).toBe(MONEY_FORMAT);
}

function expectFrame(ws: ExcelJS.Worksheet, title: RegExp, asOf: string): void {
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW });
  expect(String(ws.getCell(1, 1).value)).toMatch(title);
  expect(ws.getCell(2, 1).value).toBe(`As of ${asOf}`);
  expect(ws.getRow(HEADER_ROW).getCell(1).font?.bold).toBe(true);
  expect(ws.name.length).toBeLessThanOrEqual(31);
}

describe('status of contributions as XLSX', () => {
  it.each([
    [2017, '2017-12-31'],
    [2018, '2018-06-30'],
  ])('%i as of %s: every row and the totals equal the JSON, as numbers', async (year, asOf) => {
    const url = `/api/v1/reports/status-of-contributions?year=${year}&asOf=${asOf}`;
    const json = (await get(url)).json() as { rows: (Figures & { iso3: string; name: string })[]; totals: Figures; coverage: { collectedPercent: string; withExcessPercent: string }; budget: string };
    const res = await get(url, 'auditor', XLSX_MEDIA_TYPE);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_MEDIA_TYPE);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="status-of-contributions-${year}.xlsx"`);
    const ws = (await read(res.rawPayload)).worksheets[0]!;
    expectFrame(ws, new RegExp(`Status of contributions — budget ${year}`), asOf);
    expect(ws.getRow(HEADER_ROW).cellCount).toBe(2 + FIGURES.length + 1);
    expect(json.rows.length).toBeGreaterThan(10);
    json.rows.forEach((row, i) => {
      const r = ws.getRow(HEADER_ROW + 1 + i);
      expect([r.getCell(1).value, r.getCell(2).value]).toEqual([row.iso3, row.name]);
      FIGURES.forEach((k, j) => expectMoney(r.getCell(3 + j), row[k], `${row.iso3} ${k}`));
    });
    const totals = ws.getRow(HEADER_ROW + 1 + json.rows.length);
    expect(totals.getCell(1).value).toBe('TOTAL');
    expect(totals.getCell(3).font?.bold).toBe(true);
    FIGURES.forEach((k, j) => expectMoney(totals.getCell(3 + j), json.totals[k], `total ${k}`));
    // The coverage line and the budget, below the table.
    const below = new Map<string, ExcelJS.CellValue>();
    for (let n = totals.number + 1; n <= ws.rowCount; n++) below.set(String(ws.getRow(n).getCell(1).value), ws.getRow(n).getCell(2).value);
    expect(below.get('Coverage of the budget: collected (%)')).toBe(Number(json.coverage.collectedPercent));
    expect(below.get('Coverage with money in excess of assessments (%)')).toBe(Number(json.coverage.withExcessPercent));
    expect(below.get(`Budget ${year} (CHF)`)).toBe(Number(json.budget));

    // The same data gives the same bytes: again, and at .xlsx.
    expect((await get(url, 'finance', XLSX_MEDIA_TYPE)).rawPayload.equals(res.rawPayload)).toBe(true);
    const link = await get(url.replace('status-of-contributions?', 'status-of-contributions.xlsx?'));
    expect(link.statusCode).toBe(200);
    expect(link.rawPayload.equals(res.rawPayload)).toBe(true);
  });

  it('an Accept that allows none of JSON, CSV, PDF, XLSX is still 406, listing XLSX among the acceptable', async () => {
    const res = await get('/api/v1/reports/status-of-contributions?year=2018', 'finance', 'application/vnd.ms-excel');
    expect(res.statusCode).toBe(406);
    expect(res.json().acceptable).toContain(XLSX_MEDIA_TYPE);
    // Quality values are respected: XLSX preferred to JSON.
    const q = await get('/api/v1/reports/status-of-contributions?year=2018', 'finance', `application/json;q=0.5, ${XLSX_MEDIA_TYPE}`);
    expect(q.headers['content-type']).toBe(XLSX_MEDIA_TYPE);
  });
});

describe('budget execution as XLSX', () => {
  it.each([
    [2017, '2017-12-31'],
    [2018, '2018-06-30'],
  ])('%i as of %s: every line and the totals equal the JSON, as numbers', async (year, asOf) => {
    const url = `/api/v1/budgets/${year}/execution?asOf=${asOf}`;
    type Row = { code: string | null; label: string; approved: string; revised: string; spent: string; remaining: string; percentSpent: string | null };
    const json = (await get(url)).json() as { lines: Row[]; totals: Omit<Row, 'code' | 'label'> };
    const res = await get(url, 'auditor', XLSX_MEDIA_TYPE);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="budget-execution-${year}.xlsx"`);
    const ws = (await read(res.rawPayload)).worksheets[0]!;
    expectFrame(ws, new RegExp(`Budget execution ${year}`), asOf);
    expect(json.lines.length).toBe(7);
    const money = ['approved', 'revised', 'spent', 'remaining'] as const;
    [...json.lines, { code: 'TOTAL', label: '', ...json.totals }].forEach((line, i) => {
      const row = ws.getRow(HEADER_ROW + 1 + i);
      expect(row.getCell(1).value).toBe(line.code ?? '(uncoded)');
      money.forEach((k, j) => expectMoney(row.getCell(3 + j), line[k], `${line.code} ${k}`));
      expect(row.getCell(7).value).toBe(line.percentSpent === null ? null : Number(line.percentSpent));
    });
    expect((await get(url, 'auditor', XLSX_MEDIA_TYPE)).rawPayload.equals(res.rawPayload)).toBe(true);
  });
});

describe('financial statement as XLSX', () => {
  it('2017 beside 2016: every figure of the CSV, as numbers, in the same order', async () => {
    const url = '/api/v1/reports/financial-statement?year=2017';
    const csv = (await get(url, 'finance', 'text/csv')).body.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
    const json = (await get(url)).json() as { incomeAndExpenditure: { surplus: { current: string } } };
    const res = await get(url, 'auditor', XLSX_MEDIA_TYPE);
    expect(res.statusCode).toBe(200);
    const ws = (await read(res.rawPayload)).worksheets[0]!;
    expectFrame(ws, /Financial statement 2017/, '2017-12-31');
    expect(csv.length).toBeGreaterThan(30);
    csv.forEach(([section, item, current, previous], i) => {
      const row = ws.getRow(HEADER_ROW + 1 + i);
      expect([row.getCell(1).value, row.getCell(2).value]).toEqual([section, item]);
      expectMoney(row.getCell(3), current!, `${item} 2017`);
      expectMoney(row.getCell(4), previous!, `${item} 2016`);
    });
    const surplus = csv.findIndex(([section, item]) => section === 'incomeAndExpenditure' && item === 'surplus');
    expect(ws.getRow(HEADER_ROW + 1 + surplus).getCell(3).value).toBe(Number(json.incomeAndExpenditure.surplus.current));
  });
});

describe('statement of account as XLSX', () => {
  it.each([
    ['FRA', 'finance', '2016-01-01', '2018-12-31'],
    ['MEX', 'finance', '2017-01-01', '2018-06-30'],
    ['FRA', 'france', '2018-01-01', '2018-12-31'],
  ])('%s as %s, %s to %s: the opening balance, every line, the closing balance equal the JSON', async (iso3, user, from, to) => {
    const url = `/api/v1/states/${iso3}/statement?from=${from}&to=${to}`;
    const json = (await get(url, user)).json() as { openingBalance: string; closingBalance: string; unappliedCredit: string; lines: { date: string; reference: string; debit: string; credit: string; balance: string }[] };
    const res = await get(url, user, XLSX_MEDIA_TYPE);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="statement-${iso3}-${from}-${to}.xlsx"`);
    const ws = (await read(res.rawPayload)).worksheets[0]!;
    expectFrame(ws, new RegExp(`Statement of account — .*\\(${iso3}\\)`), to);
    const opening = ws.getRow(HEADER_ROW + 1);
    expect([opening.getCell(1).value, opening.getCell(2).value]).toEqual([from, 'Opening balance']);
    expectMoney(opening.getCell(8), json.openingBalance, 'opening');
    expect(json.lines.length).toBeGreaterThan(0);
    json.lines.forEach((l, i) => {
      const r = ws.getRow(HEADER_ROW + 2 + i);
      expect([r.getCell(1).value, r.getCell(3).value]).toEqual([l.date, l.reference]);
      expectMoney(r.getCell(6), l.debit, `${l.reference} debit`);
      expectMoney(r.getCell(7), l.credit, `${l.reference} credit`);
      expectMoney(r.getCell(8), l.balance, `${l.reference} balance`);
    });
    const closing = ws.getRow(HEADER_ROW + 2 + json.lines.length);
    expect([closing.getCell(1).value, closing.getCell(2).value]).toEqual([to, 'Closing balance']);
    expect(closing.getCell(8).font?.bold).toBe(true);
    expectMoney(closing.getCell(8), json.closingBalance, 'closing');
    expect((await get(url.replace('/statement?', '/statement.xlsx?'), user)).rawPayload.equals(res.rawPayload)).toBe(true);
  });

  it("a State user gets only its own: another State's statement is 404, as JSON, by Accept and at .xlsx", async () => {
    for (const [url, accept] of [
      ['/api/v1/states/MEX/statement?from=2018-01-01', undefined],
      ['/api/v1/states/MEX/statement?from=2018-01-01', XLSX_MEDIA_TYPE],
      ['/api/v1/states/MEX/statement.xlsx?from=2018-01-01', undefined],
    ] as const) {
      const res = await get(url, 'france', accept);
      expect(res.statusCode, `${url} ${accept ?? ''}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await get('/api/v1/states/FRA/statement.xlsx?from=2018-01-01', 'france')).statusCode).toBe(200);
  });

  it('Accept: application/pdf gives the PDF of statement.pdf; an Accept that allows none of JSON, PDF and XLSX is 406', async () => {
    const pdf = await get('/api/v1/states/FRA/statement?from=2018-01-01&to=2018-12-31', 'france', 'application/pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const link = await get('/api/v1/states/FRA/statement.pdf?from=2018-01-01&to=2018-12-31', 'france');
    expect(pdf.rawPayload.equals(link.rawPayload)).toBe(true);
    const res = await get('/api/v1/states/FRA/statement?from=2018-01-01', 'finance', 'text/csv');
    expect(res.statusCode).toBe(406);
    expect(res.json().acceptable).toEqual(['application/json', 'application/pdf', XLSX_MEDIA_TYPE]);
  });
});

describe('the workbook writer', () => {
  it('writes money as exact numbers, refuses what a number cannot hold, and gives the same bytes for the same sheets', async () => {
    expect(moneyCell('1234.50')).toBe(1234.5);
    expect(moneyCell('-0.01')).toBe(-0.01);
    expect(moneyCell('123456789012345.67')).toBe(123456789012345.67);
    expect(() => moneyCell('90071992547409.93')).toThrow(/cannot be a number cell exactly/);
    expect(() => moneyCell('12.5')).toThrow(/2 decimals/);
    expect(() => moneyCell('1,234.50')).toThrow(/2 decimals/);
    const spec = {
      title: 'A title',
      asOf: '2018-06-30',
      sheets: [
        {
          name: 'A sheet name that is far longer than Excel allows',
          columns: [
            { header: 'Label', key: 'label', kind: 'text' as const },
            { header: 'Amount', key: 'amount', kind: 'money' as const },
            { header: 'Share', key: 'share', kind: 'percent' as const },
            { header: 'Count', key: 'count', kind: 'integer' as const },
          ],
          rows: [
            { label: 'a', amount: '0.10', share: '12.5', count: 3 },
            { label: 'b', amount: '', share: null, count: 0 },
          ],
          totals: { label: 'Total', amount: '0.10' },
        },
      ],
    };
    const bytes = await renderWorkbook(spec);
    await new Promise((r) => setTimeout(r, 2100)); // zip timestamps have a 2-second resolution
    expect((await renderWorkbook(spec)).equals(bytes)).toBe(true);
    const wb = await read(bytes);
    expect(wb.created.toISOString()).toBe('2018-06-30T00:00:00.000Z');
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('A sheet name that is far longer');
    expect(ws.getCell(4, 2).value).toBe(0.1);
    expect(ws.getCell(4, 3).value).toBe(12.5);
    expect(ws.getCell(4, 4).value).toBe(3);
    expect(ws.getCell(5, 2).value).toBeNull();
    expect(ws.getCell(6, 1).value).toBe('Total');
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(8);
    expect(sheetName('x', new Set(['x']))).toBe('x 2');
    expect(sheetName('a/b:c', new Set())).toBe('a-b-c');
    await expect(renderWorkbook({ ...spec, sheets: [{ ...spec.sheets[0]!, rows: [{ label: 'c', amount: '1.5' }] }] })).rejects.toThrow(/2 decimals/);
  });
});
