/**
 * Contract test of the OpenAPI document (issue 12): on the demo database,
 * every GET operation of the document is called as a user allowed to see it,
 * with real demo values, and every answer is checked against what the
 * document declares for its status and media type: JSON bodies against their
 * schema with Ajv (OpenAPI 3.1 schemas are JSON Schema 2020-12), PDFs by
 * media type and magic, CSV by media type, XML (e-invoices) as well-formed. Problems (400, 401, 403, 404,
 * 406, 422) are checked against the Problem schema. A GET operation that the
 * test does not call fails it, and so does a GET route missing from the
 * document.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { DEMO_ISSUER, seedDemo } from '../../src/services/demo.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { makeEnv, type TestEnv } from '../helpers.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface MediaType {
  schema: Record<string, unknown>;
}
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
}

const TOKENS: Record<string, string> = {
  finance: 'demo-token-finance',
  admin: 'demo-token-admin',
  auditor: 'demo-token-auditor',
  presidency: 'demo-token-presidency',
  france: 'demo-token-france',
  mexico: 'demo-token-mexico',
};

let env: TestEnv;
let doc: Doc;
let ajv: Ajv2020;
/** Values of the demo the path parameters need. */
let demo: { invoice: string; mexInvoice: string; payment: number; creditNote: string; reminder: string; reminderOther: string; bankLine: number };
/** Operations called with a 2xx answer that matched the document, as "GET /api/v1/…". */
const covered = new Set<string>();
/** Every status × media type seen, for the summary. */
const seen: string[] = [];

beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  await seedDemo(env.ctx, cliActor('test'));
  // A change of the bank details waiting for a second admin (SPEC 9.8), so that GET /settings/issuer/pending answers 200.
  expect(setIssuer(env.ctx, cliActor('contract'), issuerSettingsSchema.parse({ ...DEMO_ISSUER, bank: { ...DEMO_ISSUER.bank, iban: 'CH93 0076 2011 6238 5295 7' } })).status).toBe('pending');
  doc = (await env.app.inject({ url: '/api/v1/openapi.json' })).json() as Doc;
  ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema(doc as object, 'openapi.json');

  const invoices = (await call('/api/v1/invoices?year=2018&state=FRA')).json() as { number: string }[];
  const mexInvoices = (await call('/api/v1/invoices?year=2018&state=MEX&status=issued')).json() as { number: string }[];
  const payments = (await call('/api/v1/payments?state=FRA')).json() as { id: number }[];
  // The demo has no credit note: cancel an invoice to have one (a write, as finance would).
  const cancel = await env.app.inject({
    method: 'POST',
    url: `/api/v1/invoices/${mexInvoices[0]!.number}/cancel`,
    headers: { authorization: `Bearer ${TOKENS.finance}` },
    payload: { reason: 'contract test: a credit note to read', date: '2018-07-02' },
  });
  expect(cancel.statusCode, cancel.body).toBe(201);
  // Nor has it reminder letters: issue those of 30 June 2018.
  const remind = await env.app.inject({
    method: 'POST',
    url: '/api/v1/reminders',
    headers: { authorization: `Bearer ${TOKENS.finance}` },
    payload: { asOf: '2018-06-30', date: '2018-07-02' },
  });
  expect(remind.statusCode, remind.body).toBe(201);
  const letters = (remind.json() as { letters: { number: string; iso3: string }[] }).letters;
  const bankLines = (await call('/api/v1/bank/lines?status=unmatched')).json() as { id: number }[];
  demo = {
    invoice: invoices[0]!.number,
    mexInvoice: mexInvoices[0]!.number,
    payment: payments[0]!.id,
    creditNote: (cancel.json() as { number: string }).number,
    reminder: letters[0]!.number,
    reminderOther: letters.find((l) => l.iso3 !== 'FRA')!.number,
    bankLine: bankLines[0]!.id,
  };
}, 180_000);
afterAll(() => env.close());

function call(url: string, user: string | null = 'finance', accept?: string): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (user) headers.authorization = `Bearer ${TOKENS[user]}`;
  if (accept !== undefined) headers.accept = accept;
  return env.app.inject({ method: 'GET', url, headers });
}

const pointer = (...tokens: string[]) => tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
const validators = new Map<string, ValidateFunction>();
function validator(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) {
    v = ajv.getSchema(ref);
    if (!v) throw new Error(`no schema at ${ref}`);
    validators.set(ref, v);
  }
  return v;
}

/** Checks an answer against the document: its status and media type are declared, and its body matches the schema. */
function checkAgainstDocument(template: string, res: LightMyRequestResponse): void {
  const where = `GET ${template} → ${res.statusCode}`;
  const op = doc.paths[template]?.get;
  expect(op, `${where}: the operation is in the document`).toBeDefined();
  const response = op!.responses[String(res.statusCode)];
  expect(response, `${where}: the status is documented (documented: ${Object.keys(op!.responses).join(', ')})`).toBeDefined();
  const mediaType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
  expect(Object.keys(response!.content ?? {}), `${where}: the media type ${mediaType} is documented`).toContain(mediaType);
  const schemaRef = `openapi.json#${pointer('paths', template, 'get', 'responses', String(res.statusCode), 'content', mediaType, 'schema')}`;
  seen.push(`${res.statusCode} ${mediaType}`);
  if (mediaType === 'application/json' || mediaType === 'application/problem+json') {
    const validate = validator(schemaRef);
    const body: unknown = res.json();
    const ok = validate(body);
    expect(ok ? [] : ajv.errorsText(validate.errors, { separator: '\n' }).split('\n').slice(0, 10), `${where}: the body matches its schema`).toEqual([]);
  } else if (mediaType === 'application/pdf') {
    expect(response!.content![mediaType]!.schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(res.rawPayload.subarray(0, 5).toString('latin1'), `${where}: a PDF`).toBe('%PDF-');
  } else if (mediaType === XLSX) {
    expect(response!.content![mediaType]!.schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(res.rawPayload.subarray(0, 2).toString('latin1'), `${where}: an XLSX (a zip)`).toBe('PK');
  } else if (mediaType === 'application/xml') {
    expect(response!.content![mediaType]!.schema).toMatchObject({ type: 'string' });
    expect(XMLValidator.validate(res.body), `${where}: well-formed XML`).toBe(true);
  } else if (mediaType === 'text/csv') {
    expect(response!.content![mediaType]!.schema).toMatchObject({ type: 'string' });
    expect(validator(schemaRef)(res.body)).toBe(true);
    expect(res.body.split('\n')[0], `${where}: a header row`).toMatch(/^[a-zA-Z0-9]+(,[a-zA-Z0-9]+)+$/m);
  } else throw new Error(`${where}: unexpected media type ${mediaType}`);
  if (res.statusCode >= 200 && res.statusCode < 300) covered.add(`GET ${template}`);
}

/** The GET calls, by operation: each a path template and the concrete requests. */
function cases(): { template: string; url: string; user?: string | null; accept?: string }[] {
  const years = [2016, 2017, 2018];
  const dates = ['2016-06-30', '2017-03-31', '2018-06-30', '2018-12-31'];
  const states = ['FRA', 'MEX', 'IRL', 'NOR', 'CHE'];
  const status = '/api/v1/reports/status-of-contributions';
  return [
    { template: '/api/v1/health', url: '/api/v1/health', user: null },
    ...['finance', 'admin', 'france'].map((user) => ({ template: '/api/v1/me', url: '/api/v1/me', user })),
    { template: '/api/v1/states', url: '/api/v1/states' },
    ...years.map((y) => ({ template: '/api/v1/states', url: `/api/v1/states?year=${y}`, user: 'auditor' })),
    ...states.map((s) => ({ template: '/api/v1/states/{iso3}', url: `/api/v1/states/${s}?year=2018` })),
    { template: '/api/v1/states/{iso3}', url: '/api/v1/states/FRA', user: 'france' },
    ...states.flatMap((s) => dates.map((d) => ({ template: '/api/v1/states/{iso3}/balance', url: `/api/v1/states/${s}/balance?asOf=${d}` }))),
    { template: '/api/v1/states/{iso3}/balance', url: '/api/v1/states/FRA/balance', user: 'france' },
    ...states.map((s) => ({ template: '/api/v1/states/{iso3}/statement', url: `/api/v1/states/${s}/statement?from=2016-01-01&to=2018-12-31` })),
    { template: '/api/v1/states/{iso3}/statement', url: '/api/v1/states/FRA/statement?from=2018-01-01', user: 'france' },
    { template: '/api/v1/states/{iso3}/statement', url: '/api/v1/states/FRA/statement?from=2016-01-01&to=2018-06-30', accept: XLSX },
    { template: '/api/v1/states/{iso3}/statement', url: '/api/v1/states/FRA/statement?from=2018-01-01', user: 'france', accept: XLSX },
    { template: '/api/v1/states/{iso3}/statement.xlsx', url: '/api/v1/states/MEX/statement.xlsx?from=2016-01-01&to=2018-12-31' },
    { template: '/api/v1/states/{iso3}/statement.pdf', url: '/api/v1/states/FRA/statement.pdf?from=2016-01-01&to=2018-06-30' },
    { template: '/api/v1/scales', url: '/api/v1/scales', user: 'presidency' },
    { template: '/api/v1/scales/{code}', url: '/api/v1/scales/UN-2016-2018' },
    { template: '/api/v1/budgets', url: '/api/v1/budgets' },
    ...years.map((y) => ({ template: '/api/v1/budgets/{year}', url: `/api/v1/budgets/${y}` })),
    ...years.map((y) => ({ template: '/api/v1/budgets/{year}/assessment', url: `/api/v1/budgets/${y}/assessment` })),
    ...years.map((y) => ({ template: '/api/v1/budgets/{year}/spending-plan', url: `/api/v1/budgets/${y}/spending-plan` })),
    ...years.flatMap((y) => dates.map((d) => ({ template: '/api/v1/budgets/{year}/execution', url: `/api/v1/budgets/${y}/execution?asOf=${d}` }))),
    { template: '/api/v1/budgets/{year}/execution', url: '/api/v1/budgets/2018/execution', user: 'auditor' },
    { template: '/api/v1/budgets/{year}/execution', url: '/api/v1/budgets/2017/execution?asOf=2017-12-31', accept: 'text/csv' },
    { template: '/api/v1/budgets/{year}/execution', url: '/api/v1/budgets/2017/execution?asOf=2017-12-31', accept: 'application/pdf' },
    { template: '/api/v1/budgets/{year}/execution.pdf', url: '/api/v1/budgets/2017/execution.pdf?asOf=2017-12-31', user: 'presidency' },
    { template: '/api/v1/invoices', url: '/api/v1/invoices' },
    ...years.map((y) => ({ template: '/api/v1/invoices', url: `/api/v1/invoices?year=${y}&state=FRA&status=issued` })),
    { template: '/api/v1/invoices', url: '/api/v1/invoices?status=cancelled' },
    { template: '/api/v1/invoices', url: '/api/v1/invoices', user: 'france' },
    { template: '/api/v1/invoices/{number}', url: `/api/v1/invoices/${demo.invoice}` },
    { template: '/api/v1/invoices/{number}', url: `/api/v1/invoices/${demo.mexInvoice}`, user: 'mexico' },
    { template: '/api/v1/invoices/{number}/pdf', url: `/api/v1/invoices/${demo.invoice}/pdf` },
    { template: '/api/v1/invoices/{number}/xml', url: `/api/v1/invoices/${demo.invoice}/xml` },
    { template: '/api/v1/invoices/{number}/xml', url: `/api/v1/invoices/${demo.mexInvoice}/xml`, user: 'mexico' },
    { template: '/api/v1/credit-notes', url: '/api/v1/credit-notes?year=2018' },
    { template: '/api/v1/credit-notes', url: '/api/v1/credit-notes', user: 'mexico' },
    { template: '/api/v1/credit-notes/{number}', url: `/api/v1/credit-notes/${demo.creditNote}` },
    { template: '/api/v1/credit-notes/{number}/pdf', url: `/api/v1/credit-notes/${demo.creditNote}/pdf` },
    { template: '/api/v1/credit-notes/{number}/xml', url: `/api/v1/credit-notes/${demo.creditNote}/xml`, user: 'auditor' },
    { template: '/api/v1/payments', url: '/api/v1/payments' },
    ...dates.map((d) => ({ template: '/api/v1/reminders', url: `/api/v1/reminders?asOf=${d}` })),
    { template: '/api/v1/reminders', url: '/api/v1/reminders', user: 'france' },
    { template: '/api/v1/reminders/letters', url: '/api/v1/reminders/letters?year=2018&asOf=2018-06-30' },
    { template: '/api/v1/reminders/letters', url: '/api/v1/reminders/letters', user: 'france' },
    { template: '/api/v1/reminders/letters/{number}', url: `/api/v1/reminders/letters/${demo.reminder}`, user: 'auditor' },
    { template: '/api/v1/reminders/letters/{number}/pdf', url: `/api/v1/reminders/letters/${demo.reminder}/pdf` },
    ...years.map((y) => ({ template: '/api/v1/payments', url: `/api/v1/payments?state=FRA&year=${y}` })),
    { template: '/api/v1/payments', url: '/api/v1/payments', user: 'france' },
    { template: '/api/v1/payments/{id}', url: `/api/v1/payments/${demo.payment}` },
    ...years.flatMap((y) => dates.map((d) => ({ template: status, url: `${status}?year=${y}&asOf=${d}` }))),
    { template: status, url: `${status}?year=2018&lang=fr` },
    { template: status, url: `${status}?year=2018&asOf=2018-06-30`, accept: 'text/csv' },
    { template: status, url: `${status}?year=2018&asOf=2018-06-30`, accept: 'application/pdf' },
    { template: `${status}.pdf`, url: `${status}.pdf?year=2017&asOf=2017-12-31` },
    { template: status, url: `${status}?year=2018&asOf=2018-06-30`, accept: XLSX },
    { template: `${status}.xlsx`, url: `${status}.xlsx?year=2017&asOf=2017-12-31`, user: 'auditor' },
    ...dates.map((d) => ({ template: '/api/v1/reserve', url: `/api/v1/reserve?asOf=${d}` })),
    { template: '/api/v1/reserve', url: '/api/v1/reserve', user: 'auditor' },
    { template: '/api/v1/reserve/movements', url: '/api/v1/reserve/movements' },
    { template: '/api/v1/reserve/movements', url: '/api/v1/reserve/movements?from=2016-01-01&to=2016-12-31', user: 'auditor' },
    { template: '/api/v1/periods', url: '/api/v1/periods' },
    { template: '/api/v1/periods', url: '/api/v1/periods', user: 'admin' },
    ...years.map((y) => ({ template: '/api/v1/reports/financial-statement', url: `/api/v1/reports/financial-statement?year=${y}`, user: 'presidency' })),
    { template: '/api/v1/reports/financial-statement', url: '/api/v1/reports/financial-statement?year=2018', user: 'auditor' },
    { template: '/api/v1/reports/financial-statement', url: '/api/v1/reports/financial-statement?year=2017', accept: 'text/csv' },
    { template: '/api/v1/reports/financial-statement', url: '/api/v1/reports/financial-statement?year=2017', accept: 'application/pdf' },
    { template: '/api/v1/reports/financial-statement.pdf', url: '/api/v1/reports/financial-statement.pdf?year=2018' },
    ...[2015, 2016, 2017].map((y) => ({ template: '/api/v1/years/{year}/closing', url: `/api/v1/years/${y}/closing`, user: 'auditor' })),
    { template: '/api/v1/expenditures', url: '/api/v1/expenditures' },
    ...years.map((y) => ({ template: '/api/v1/expenditures', url: `/api/v1/expenditures?year=${y}` })),
    ...years.map((y) => ({ template: '/api/v1/cashflow', url: `/api/v1/cashflow?year=${y}&asOf=${y}-06-30` })),
    { template: '/api/v1/cashflow', url: '/api/v1/cashflow?year=2018' },
    { template: '/api/v1/settings/issuer', url: '/api/v1/settings/issuer', user: 'admin' },
    { template: '/api/v1/settings/limits', url: '/api/v1/settings/limits' },
    { template: '/api/v1/settings/limits', url: '/api/v1/settings/limits', user: 'admin' },
    { template: '/api/v1/settings/issuer/pending', url: '/api/v1/settings/issuer/pending', user: 'admin' },
    { template: '/api/v1/settings/issuer/pending', url: '/api/v1/settings/issuer/pending' },
    { template: '/api/v1/settings/issuer/changes', url: '/api/v1/settings/issuer/changes', user: 'admin' },
    { template: '/api/v1/settings/issuer/changes', url: '/api/v1/settings/issuer/changes' },
    { template: '/api/v1/audit', url: '/api/v1/audit?limit=50', user: 'auditor' },
    // Users and tokens (issue 16, finding 4): the admin's.
    { template: '/api/v1/admin/users', url: '/api/v1/admin/users', user: 'admin' },
    { template: '/api/v1/admin/users/{username}', url: '/api/v1/admin/users/france', user: 'admin' },
    { template: '/api/v1/admin/users/{username}/tokens', url: '/api/v1/admin/users/finance/tokens', user: 'admin' },
    { template: '/api/v1/deliveries', url: '/api/v1/deliveries' },
    { template: '/api/v1/deliveries', url: '/api/v1/deliveries?kind=invoices&status=written&state=FRA', user: 'auditor' },
    { template: '/api/v1/deliveries', url: `/api/v1/deliveries?document=${demo.invoice}`, user: 'presidency' },
    { template: '/api/v1/bank/accounts', url: '/api/v1/bank/accounts' },
    { template: '/api/v1/bank/accounts', url: '/api/v1/bank/accounts', user: 'admin' },
    { template: '/api/v1/bank/statements', url: '/api/v1/bank/statements', user: 'auditor' },
    { template: '/api/v1/bank/lines', url: '/api/v1/bank/lines' },
    ...(['unmatched', 'matched', 'booked', 'ignored'] as const).map((s) => ({ template: '/api/v1/bank/lines', url: `/api/v1/bank/lines?status=${s}&statement=1`, user: 'presidency' })),
    { template: '/api/v1/bank/lines/{id}', url: `/api/v1/bank/lines/${demo.bankLine}` },
    { template: '/api/v1/audit', url: '/api/v1/audit?limit=5&before=100', user: 'admin' },
  ];
}

describe('the API answers what its OpenAPI document declares', () => {
  it('every GET operation, as a user allowed to see it, on the demo', async () => {
    for (const c of cases()) {
      const res = await call(c.url, c.user === undefined ? 'finance' : c.user, c.accept);
      expect(res.statusCode, `${c.url} as ${c.user ?? 'finance'}: ${res.body.slice(0, 300)}`).toBe(200);
      checkAgainstDocument(c.template, res);
    }
  });

  it('problems: 400, 401, 403, 404, 406 and 422 as the Problem schema', async () => {
    const problems: [string, string, string | null, number, string?][] = [
      ['/api/v1/budgets/{year}', '/api/v1/budgets/20x8', 'finance', 400],
      ['/api/v1/states/{iso3}/balance', '/api/v1/states/FRA/balance?asOf=2018-02-30', 'finance', 400],
      ['/api/v1/invoices', '/api/v1/invoices?colour=red', 'finance', 400],
      ['/api/v1/states', '/api/v1/states', null, 401],
      ['/api/v1/states', '/api/v1/states', 'france', 403],
      ['/api/v1/audit', '/api/v1/audit', 'finance', 403],
      ['/api/v1/budgets/{year}', '/api/v1/budgets/2031', 'finance', 404],
      ['/api/v1/years/{year}/closing', '/api/v1/years/2018/closing', 'finance', 404],
      ['/api/v1/reports/financial-statement', '/api/v1/reports/financial-statement?year=20x8', 'finance', 400],
      ['/api/v1/reports/financial-statement', '/api/v1/reports/financial-statement?year=2018', 'france', 403],
      ['/api/v1/states/{iso3}/balance', '/api/v1/states/MEX/balance', 'france', 404],
      ['/api/v1/invoices/{number}', `/api/v1/invoices/${demo.mexInvoice}`, 'france', 404],
      ['/api/v1/invoices/{number}/xml', `/api/v1/invoices/${demo.mexInvoice}/xml`, 'france', 404],
      ['/api/v1/reminders/letters/{number}', `/api/v1/reminders/letters/${demo.reminderOther}`, 'france', 404],
      ['/api/v1/reminders', '/api/v1/reminders?asOf=2018-13-01', 'finance', 400],
      ['/api/v1/payments/{id}', '/api/v1/payments/999999', 'finance', 404],
      ['/api/v1/bank/lines/{id}', '/api/v1/bank/lines/999999', 'finance', 404],
      ['/api/v1/bank/lines', '/api/v1/bank/lines', 'france', 403],
      ['/api/v1/bank/lines', '/api/v1/bank/lines?status=pending', 'finance', 400],
      ['/api/v1/reports/status-of-contributions', '/api/v1/reports/status-of-contributions?year=2018', 'finance', 406, 'application/xml'],
      ['/api/v1/states', '/api/v1/states', 'finance', 406, 'application/pdf'],
      ['/api/v1/states/{iso3}/statement', '/api/v1/states/FRA/statement?from=2018-01-01', 'finance', 406, 'text/csv'],
      ['/api/v1/states/{iso3}/statement', '/api/v1/states/MEX/statement?from=2018-01-01', 'france', 404, XLSX],
      ['/api/v1/states/{iso3}/statement.xlsx', '/api/v1/states/MEX/statement.xlsx?from=2018-01-01', 'france', 404],
      ['/api/v1/states/{iso3}/statement', '/api/v1/states/FRA/statement?from=2018-06-30&to=2018-01-01', 'finance', 422],
    ];
    for (const [template, url, user, status, accept] of problems) {
      const res = await call(url, user, accept);
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      checkAgainstDocument(template, res);
      expect(res.json().status).toBe(status);
    }
  });

  it("the assessment's problem of a year with no State assessed types `year` as the document says", async () => {
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/v1/budgets',
      headers: { authorization: `Bearer ${TOKENS.finance}` },
      payload: {
        // No State is in force on 1 January 2010 (the Convention: 1 August 2010); nothing earlier is accepted.
        year: 2010,
        amount: '100.00',
        decisionRef: 'contract test',
        approvedOn: '2010-01-04',
        cutoffDate: '2010-03-31',
        scaleCode: 'UN-2016-2018',
        scheme: { categories: [{ code: 'A', label: 'All', share: '1', method: 'equal' }] },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await call('/api/v1/budgets/2010/assessment');
    expect(res.statusCode).toBe(422);
    checkAgainstDocument('/api/v1/budgets/{year}/assessment', res);
    expect(res.json()).toMatchObject({ assessmentError: 'no-assessed-states', year: 2010 });
  });

  it('the check sees a body that breaks its schema, and lets a problem carry an unknown extension member', async () => {
    const ref = (template: string, status: string, mediaType: string) =>
      `openapi.json#${pointer('paths', template, 'get', 'responses', status, 'content', mediaType, 'schema')}`;
    const balance = (await call('/api/v1/states/FRA/balance?asOf=2018-06-30')).json() as Record<string, unknown>;
    const validate = validator(ref('/api/v1/states/{iso3}/balance', '200', 'application/json'));
    expect(validate(balance)).toBe(true);
    expect(validate({ ...balance, outstanding: 12 })).toBe(false);
    expect(ajv.errorsText(validate.errors)).toMatch(/outstanding must be string/);
    expect(validate({ ...balance, surprise: true })).toBe(false);
    const { arrears: _a, ...withoutArrears } = balance;
    expect(validate(withoutArrears)).toBe(false);
    const problem = validator(ref('/api/v1/states/{iso3}/balance', '404', 'application/problem+json'));
    expect(problem({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'x', somethingNew: [1, 2] })).toBe(true);
    expect(problem({ type: 'about:blank', title: 'Not Found', status: '404', detail: 'x' })).toBe(false);
    expect(problem({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'x', paymentId: '7' })).toBe(false);
  });

  it('covers every GET operation of the document, and the document every GET route', () => {
    const documented = Object.entries(doc.paths)
      .filter(([, ops]) => ops.get)
      .map(([path]) => `GET ${path}`)
      .sort();
    expect([...covered].sort()).toEqual(documented);
    const routes = env.app.accessTable
      .filter((r) => r.method === 'GET' && r.url !== '/api/v1/openapi.json')
      .map((r) => `GET ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    expect(documented).toEqual(routes);
    console.log(`contract: ${documented.length} GET operations, ${seen.length} answers checked (${[...new Set(seen)].sort().join(', ')})`);
  });
});
