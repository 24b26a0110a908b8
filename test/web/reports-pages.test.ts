/**
 * The reports page without a browser (inject): who sees it (finance, the
 * Presidency, auditors; 403 for the admin, 404 for a State user), no write
 * form for the readers, the year / date / State as query parameters of a GET
 * form, and every download link answering its format from the session (the
 * same CSV and PDF bytes as the API's routes with a token).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTS_TEXT } from '../../src/http/pages/reports-text.js';
import { auth } from '../helpers.js';
import { pagesEnv, type PagesEnv } from './admin-env.js';

let p: PagesEnv;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TYPES: Record<string, RegExp> = { pdf: /^application\/pdf/, xlsx: new RegExp(`^${XLSX.replace(/\./g, '\\.')}`), csv: /^text\/csv/, json: /^application\/json/ };

beforeAll(async () => {
  p = await pagesEnv();
}, 60_000);
afterAll(() => p.env.close());

const links = (body: string) => [...body.matchAll(/<a href="(\/reports\/[^"]+)" data-format="([a-z]+)"/g)].map((m) => ({ url: m[1]!.replace(/&amp;/g, '&'), format: m[2]! }));

describe('who sees the reports', () => {
  it.each(['fin', 'pres', 'aud'])('%s: the page, with the Reports entry current, and no write form', async (who) => {
    const res = await p.get(who, '/reports?year=2018&asOf=2018-06-30&state=FRA');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a href="/reports" aria-current="page">');
    expect(res.body).toContain('<form method="get" action="/reports"');
    // The only POST form is the logout button of the header.
    expect([...res.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/logout']);
    expect(res.body).not.toContain('<script');
  });

  it('the admin: 403; a State user: 404, also for a download', async () => {
    expect((await p.get('adm', '/reports')).statusCode).toBe(403);
    expect((await p.get('fra', '/reports')).statusCode).toBe(404);
    expect((await p.get('fra', '/reports/status-of-contributions.csv?year=2018')).statusCode).toBe(404);
    expect((await p.get('adm', '/reports/status-of-contributions.csv?year=2018')).statusCode).toBe(403);
  });

  it('a bad query or an unknown report: the HTML refusal', async () => {
    expect((await p.get('fin', '/reports?year=20x8')).statusCode).toBe(400);
    expect((await p.get('fin', '/reports/nothing.pdf?year=2018')).statusCode).toBe(404);
    expect((await p.get('fin', '/reports/states-parties.pdf?year=2018')).statusCode).toBe(404);
    expect((await p.get('fin', '/reports/statement-of-account.pdf?from=2018-01-01')).statusCode).toBe(400);
  });

  it('without a State, the statement of account says to choose one', async () => {
    const res = await p.get('pres', '/reports?year=2018');
    expect(res.body).toContain(REPORTS_TEXT.en.accountNeedsState);
    expect(links(res.body).some((l) => l.url.startsWith('/reports/statement-of-account'))).toBe(false);
  });
});

describe('the downloads', () => {
  it('every report in every format: its media type and non-empty bytes', async () => {
    const res = await p.get('pres', '/reports?year=2018&asOf=2018-06-30&state=FRA&from=2017-01-01&to=2018-06-30');
    const all = links(res.body);
    // status, execution, statement: 4 formats each; the statement of account 3; the register 2.
    expect(all.length).toBe(17);
    for (const { url, format } of all) {
      const d = await p.get('pres', url);
      expect(d.statusCode, `${url}: ${d.body.slice(0, 300)}`).toBe(200);
      expect(d.headers['content-type'], url).toMatch(TYPES[format]!);
      expect(d.rawPayload.length, url).toBeGreaterThan(20);
      if (format === 'pdf') expect(d.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      if (format === 'xlsx') expect(d.rawPayload.subarray(0, 2).toString()).toBe('PK');
      if (format === 'json') expect(() => JSON.parse(d.body)).not.toThrow();
    }
  });

  it('the same bytes as the API: CSV of the status of contributions and of the budget execution, PDF of the financial statement', async () => {
    const pairs: [string, string, Record<string, string>][] = [
      ['/reports/status-of-contributions.csv?year=2018&asOf=2018-06-30', '/api/v1/reports/status-of-contributions?year=2018&asOf=2018-06-30', { accept: 'text/csv' }],
      ['/reports/budget-execution.csv?year=2018&asOf=2018-06-30', '/api/v1/budgets/2018/execution?asOf=2018-06-30', { accept: 'text/csv' }],
      ['/reports/financial-statement.csv?year=2018', '/api/v1/reports/financial-statement?year=2018', { accept: 'text/csv' }],
      ['/reports/statement-of-account.xlsx?state=FRA&from=2017-01-01&to=2018-06-30', '/api/v1/states/FRA/statement.xlsx?from=2017-01-01&to=2018-06-30', {}],
    ];
    for (const [page, api, headers] of pairs) {
      const a = await p.get('aud', page);
      const b = await p.env.app.inject({ url: api, headers: { ...auth(p.tokens.aud), ...headers } });
      expect(b.statusCode, api).toBe(200);
      expect(a.headers['content-type']).toBe(b.headers['content-type']);
      expect(a.headers['content-disposition']).toBe(b.headers['content-disposition']);
      if (page.endsWith('.csv')) expect(a.body, page).toBe(b.body);
      else expect(a.rawPayload.length, page).toBeGreaterThan(100);
    }
  });

  it('the status of contributions names the States in the page’s language', async () => {
    const fr = await p.get('fin', '/reports/status-of-contributions.csv?year=2018&asOf=2018-06-30&lang=fr');
    expect(fr.body).toContain('Mexique');
    await p.get('fin', '/reports?lang=en');
    const en = await p.get('fin', '/reports/status-of-contributions.csv?year=2018&asOf=2018-06-30');
    expect(en.body).toContain('Mexico');
  });
});

describe('the audit log', () => {
  it('the auditor and the admin read it, newest first, a hundred to a page; linked from the reports (auditor) and the users (admin)', async () => {
    expect((await p.get('aud', '/reports')).body).toContain('href="/audit"');
    expect((await p.get('adm', '/admin/users')).body).toContain('href="/audit"');
    for (const who of ['aud', 'adm']) {
      const res = await p.get(who, '/audit');
      expect(res.statusCode).toBe(200);
      const ids = [...res.body.matchAll(/data-audit="(\d+)"/g)].map((m) => Number(m[1]));
      const newest = (p.env.ctx.sqlite.prepare('SELECT max(id) AS id FROM audit_log').get() as { id: number }).id;
      expect(ids[0]).toBe(newest);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(ids.length).toBe(Math.min(100, newest));
      expect([...res.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/logout']);
    }
    const older = await p.get('aud', '/audit?before=3');
    expect([...older.body.matchAll(/data-audit="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([2, 1]);
    expect((await p.get('aud', '/audit?before=x')).statusCode).toBe(400);
  });

  it('finance and the Presidency: 403; a State user: 404', async () => {
    expect((await p.get('fin', '/audit')).statusCode).toBe(403);
    expect((await p.get('pres', '/audit')).statusCode).toBe(403);
    expect((await p.get('fra', '/audit')).statusCode).toBe(404);
  });
});
