/**
 * Content negotiation (issue 12): the status of contributions offers JSON
 * (default), CSV and PDF and picks by the Accept header with its quality
 * values; JSON routes answer 406 to an Accept that allows neither JSON nor
 * problem+json; PDF routes and the web pages are not negotiated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
import { auth, makeIssued2018Env, type TestEnv } from '../helpers.js';

let env: TestEnv;
const actor = cliActor('test');
const STATUS = '/api/v1/reports/status-of-contributions?year=2018&asOf=2018-06-30';
const get = (url: string, accept?: string, user = 'finance') =>
  env.app.inject({ url, headers: { ...auth(env.tokens[user]), ...(accept === undefined ? {} : { accept }) } });

beforeAll(async () => {
  env = await makeIssued2018Env();
});
afterAll(() => env.close());

const kind = (contentType: unknown) => String(contentType ?? '').split(';')[0];

describe('content negotiation of the status of contributions', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json'],
    ['text/csv', 'text/csv'],
    ['text/*', 'text/csv'],
    ['text/csv; charset=utf-8', 'text/csv'],
    ['TEXT/CSV', 'text/csv'],
    ['application/pdf', 'application/pdf'],
    ['text/csv;q=0.5, application/pdf;q=0.9', 'application/pdf'],
    ['application/json;q=0.1, text/csv', 'text/csv'],
    ['text/csv, application/json;q=0.9', 'text/csv'],
    ['application/json, text/csv;q=0.9', 'application/json'],
    ['application/pdf;q=0, */*;q=0.1', 'application/json'],
    [XLSX, XLSX],
    [`application/pdf;q=0.5, ${XLSX};q=0.9`, XLSX],
  ])('Accept %j gives %s', async (accept, expected) => {
    const res = await get(STATUS, accept);
    expect(res.statusCode).toBe(200);
    expect(kind(res.headers['content-type'])).toBe(expected);
    expect(res.headers.vary).toMatch(/accept/i);
    if (expected === 'application/pdf') expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (expected === 'text/csv') expect(res.body.split('\n')[0]).toMatch(/^iso3,/);
    if (expected === XLSX) expect(res.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it.each(['application/xml', 'text/html', `application/json;q=0, text/csv;q=0, application/pdf;q=0, ${XLSX};q=0`, 'image/*', 'application/vnd.ms-excel'])(
    'answers 406 problem+json naming the acceptable types to Accept %j',
    async (accept) => {
      const res = await get(STATUS, accept);
      expect(res.statusCode).toBe(406);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 406, title: 'Not Acceptable', acceptable: ['application/json', 'text/csv', 'application/pdf', XLSX] });
      expect(res.json().detail).toContain(`application/json, text/csv, application/pdf, ${XLSX}`);
    },
  );

  it('checks the credentials before the Accept header', async () => {
    const res = await env.app.inject({ url: STATUS, headers: { accept: 'application/xml' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('content negotiation of the JSON routes', () => {
  it('answers JSON to any Accept that allows JSON or problem+json', async () => {
    for (const accept of ['application/json', 'application/*', 'application/problem+json', '*/*;q=0.1', 'text/html, */*;q=0.8', 'application/json; charset=utf-8']) {
      const res = await get('/api/v1/states', accept);
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-type'], accept).toMatch(/^application\/json/);
    }
  });

  it('answers 406 to an Accept that allows neither', async () => {
    expect((await get('/api/v1/states', 'application/json; charset=iso-8859-1')).statusCode).toBe(406);
    // The register also offers CSV (its import format); it refuses a PDF.
    const states = await get('/api/v1/states', 'application/pdf');
    expect(states.statusCode).toBe(406);
    expect(states.json().acceptable).toEqual(expect.arrayContaining(['application/json', 'text/csv']));
    for (const url of ['/api/v1/health', '/api/v1/invoices?year=2018', '/api/v1/budgets/2018/assessment']) {
      const res = await get(url, 'text/csv');
      expect(res.statusCode, url).toBe(406);
      expect(res.json(), url).toMatchObject({ status: 406, acceptable: ['application/json'] });
    }
  });

  it('does not negotiate the PDF routes nor the web pages', async () => {
    const pdf = await get('/api/v1/invoices/ISU-2018-0001/pdf', 'application/json');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const pdf2 = await get('/api/v1/reports/status-of-contributions.pdf?year=2018', 'application/xml');
    expect(pdf2.statusCode).toBe(200);
    const login = await env.app.inject({ url: '/login', headers: { accept: 'application/xml' } });
    expect(login.statusCode).toBe(200);
    expect(login.headers['content-type']).toMatch(/^text\/html/);
  });
});
