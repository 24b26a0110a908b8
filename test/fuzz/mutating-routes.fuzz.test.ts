/**
 * Fuzzing every mutating route with malformed input (fast-check): wrong
 * types, huge numbers, negative and fractional-centime money, impossible
 * dates, unknown fields, non-object bodies, oversized bodies, wrong content
 * types, bad or missing headers, bad query strings. Every answer must be a
 * 4xx application/problem+json — never a 5xx — that the OpenAPI document
 * declares for the operation, and nothing may be written.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { createBudget } from '../../src/services/budgets.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { issueInvoiceBatch } from '../../src/services/invoices.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { auth, BUDGET_2018, makeEnv, rowCounts, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX, type TestEnv } from '../helpers.js';

const RUNS = Number.parseInt(process.env.FUZZ_RUNS ?? '', 10) || 12_000;

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv((ctx) => {
    importStates(ctx, cliActor('test'), [STATE_FRA, STATE_MEX, STATE_BEN]);
    createScale(ctx, cliActor('test'), SCALE_SMALL);
    createBudget(ctx, cliActor('test'), budgetCreate.parse(BUDGET_2018));
    setIssuer(ctx, cliActor('test'), issuerSettingsSchema.parse(DEMO_ISSUER));
  });
  await issueInvoiceBatch(env.ctx, cliActor('test'), 2018, { issueDate: '2017-09-15' });
});
afterAll(() => env.close());

/** Valid bodies of each mutating route: the fuzzer breaks them. */
/** `bodyOptional`: the route accepts a request without a body (so "none" is not malformed there). */
const ROUTES: { method: 'POST' | 'PUT' | 'PATCH'; url: string; user: string; valid: Record<string, unknown>; headers?: Record<string, string>; bodyOptional?: true }[] = [
  { method: 'POST', url: '/api/v1/states', user: 'finance', valid: { ...STATE_FRA, iso3: 'DEU', name: 'Germany' } },
  { method: 'POST', url: '/api/v1/states/import', user: 'finance', valid: { states: [{ ...STATE_FRA, iso3: 'DEU', name: 'Germany' }] } },
  { method: 'PATCH', url: '/api/v1/states/FRA', user: 'finance', valid: { name: 'France' } },
  { method: 'POST', url: '/api/v1/scales', user: 'finance', valid: { ...SCALE_SMALL, code: 'FUZZ-1' } },
  { method: 'POST', url: '/api/v1/budgets', user: 'finance', valid: { ...BUDGET_2018, year: 2019, approvedOn: '2018-09-01', cutoffDate: '2019-03-31' } },
  { method: 'PATCH', url: '/api/v1/budgets/2018', user: 'finance', valid: { decisionRef: 'CCM/MSP/2017/2' } },
  { method: 'POST', url: '/api/v1/budgets/2018/invoices', user: 'finance', valid: { issueDate: '2017-09-20' }, bodyOptional: true },
  { method: 'PUT', url: '/api/v1/budgets/2018/spending-plan', user: 'finance', valid: { months: Array(12).fill('1000.00') } },
  { method: 'POST', url: '/api/v1/invoices/ISU-2018-0001/cancel', user: 'finance', valid: { reason: 'fuzz' } },
  { method: 'POST', url: '/api/v1/payments', user: 'finance', valid: { iso3: 'FRA', amount: '100.00', receivedOn: '2018-01-10', confirmLarge: false }, headers: { 'idempotency-key': 'fuzz' } },
  { method: 'POST', url: '/api/v1/states/FRA/credit/apply', user: 'finance', valid: { invoice: 'ISU-2018-0002' } },
  { method: 'POST', url: '/api/v1/states/FRA/credit/reclassify', user: 'finance', valid: { amount: '1.00', to: 'voluntary' } },
  { method: 'PUT', url: '/api/v1/reserve/target', user: 'finance', valid: { amount: '400000.00', decisionRef: 'x' } },
  { method: 'POST', url: '/api/v1/reserve/contributions', user: 'finance', valid: { date: '2018-01-10', amount: '10.00', donor: 'x' } },
  { method: 'POST', url: '/api/v1/reserve/drawdowns', user: 'finance', valid: { date: '2018-01-10', amount: '10.00', reason: 'x' } },
  { method: 'POST', url: '/api/v1/reserve/restorations', user: 'finance', valid: { date: '2018-01-10', amount: '10.00' } },
  { method: 'POST', url: '/api/v1/expenditures', user: 'finance', valid: { date: '2018-01-10', amount: '10.00', description: 'x' } },
  { method: 'PUT', url: '/api/v1/settings/issuer', user: 'admin', valid: { ...DEMO_ISSUER } },
  { method: 'PUT', url: '/api/v1/settings/limits', user: 'admin', valid: { earliestDate: '2010-01-01', futureDays: 366, largestAmount: '10000000.00', largePayment: null } },
  { method: 'POST', url: '/api/v1/settings/issuer/changes/1/approve', user: 'admin', valid: { reason: 'fuzz' }, bodyOptional: true },
  { method: 'POST', url: '/api/v1/settings/issuer/changes/1/reject', user: 'admin', valid: { reason: 'fuzz' } },
  { method: 'PUT', url: '/api/v1/bank/accounts', user: 'admin', valid: { operating: { iban: 'CH5604835012345678009', currency: 'CHF' } } },
  { method: 'POST', url: '/api/v1/bank/statements', user: 'finance', valid: { document: '<Document/>' } },
  { method: 'POST', url: '/api/v1/bank/lines/1/match', user: 'finance', valid: { iso3: 'FRA', purpose: 'assessed', confirmLarge: true } },
  { method: 'POST', url: '/api/v1/bank/lines/1/book', user: 'finance', valid: { as: 'other-income' } },
  { method: 'POST', url: '/api/v1/bank/lines/1/ignore', user: 'finance', valid: { reason: 'fuzz' } },
  // Users and tokens (issue 16, finding 4).
  { method: 'POST', url: '/api/v1/admin/users', user: 'admin', valid: { username: 'fuzzer', role: 'state', state: 'BEN', password: 'fuzz-password-1' } },
  { method: 'POST', url: '/api/v1/admin/users/fra/disable', user: 'admin', valid: { reason: 'fuzz' } },
  { method: 'POST', url: '/api/v1/admin/users/fra/enable', user: 'admin', valid: { reason: 'fuzz' } },
  { method: 'PUT', url: '/api/v1/admin/users/fra/password', user: 'admin', valid: { password: 'fuzz-password-1' } },
  { method: 'PUT', url: '/api/v1/admin/users/fra/role', user: 'admin', valid: { role: 'state', state: 'MEX' } },
  { method: 'POST', url: '/api/v1/admin/users/fra/tokens', user: 'admin', valid: { label: 'fuzz', expiresInDays: 30 } },
  { method: 'POST', url: '/api/v1/admin/tokens/1/revoke', user: 'admin', valid: { reason: 'fuzz' } },
];

const nastyValue = fc.oneof(
  fc.constantFrom(
    null,
    true,
    -1,
    0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '1e3',
    '-10.00',
    '10.001',
    '10.005',
    '0.001',
    ' 10.00',
    '10,00',
    'NaN',
    'Infinity',
    '99999999999999999999999.00',
    '2018-02-30',
    '2018-13-01',
    '18-01-01',
    '2018-1-1',
    '',
    '\u0000',
    '<script>',
    "'; DROP TABLE payments; --",
    'x'.repeat(5000),
    [],
    {},
  ),
  fc.anything({ maxDepth: 2 }),
);

/** A body that is certainly invalid: a valid one with an unknown field, plus random damage. */
const brokenBody = (valid: Record<string, unknown>) =>
  fc.oneof(
    // Unknown field (always refused by the strict schemas), possibly more damage.
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), nastyValue, fc.dictionary(fc.constantFrom(...Object.keys(valid)), nastyValue, { maxKeys: 3 })).map(
      ([k, v, damage]) => JSON.stringify({ ...valid, ...damage, [`zz_${k}`]: v ?? null }),
    ),
    // A required-looking field replaced by a value of the wrong type or form.
    fc.tuple(fc.constantFrom(...Object.keys(valid)), nastyValue).map(([k, v]) => JSON.stringify({ ...valid, [k]: v, zz_marker: 1 })),
    // Not an object at all.
    fc.oneof(fc.constantFrom('null', '[]', '"x"', '42', 'true', '{', '{"a":', '\u0000', 'NaN', '{"__proto__": {"x": 1}}'), fc.string({ maxLength: 50 }).map((s) => `${s}{`)),
  );

describe('fuzzing every mutating route', () => {
  it(`answers ${RUNS} malformed requests with 4xx problem+json and writes nothing`, async () => {
    const before = rowCounts(env.ctx);
    const doc = (await env.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const templates = Object.keys(doc.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`) }));
    const documented = (method: string, url: string) => Object.keys(doc.paths[templates.find(({ re }) => re.test(url))!.t]![method.toLowerCase()]!.responses);
    const statuses = new Map<number, number>();
    let cases = 0;
    const request = fc.tuple(
      fc.constantFrom(...ROUTES),
      fc.nat(),
      fc.constantFrom('json', 'json', 'json', 'json', 'text/plain', 'application/xml', 'none', 'oversized', 'bad-auth', 'bad-key'),
    );
    await fc.assert(
      fc.asyncProperty(request, fc.context(), async ([route, seed, mode], ctx) => {
        const body = fc.sample(brokenBody(route.valid), { seed, numRuns: 1 })[0]!;
        // Where the body is optional, no body (and a JSON null, which is how Fastify hands no body on) is a valid request.
        fc.pre(!(route.bodyOptional && (mode === 'none' || body.trim() === 'null')));
        const headers: Record<string, string> = { ...auth(env.tokens[route.user]), ...(route.headers ?? {}) };
        let payload: string | undefined = body;
        if (mode === 'json') headers['content-type'] = 'application/json';
        else if (mode === 'text/plain' || mode === 'application/xml') headers['content-type'] = mode;
        else if (mode === 'none') payload = undefined;
        else if (mode === 'oversized') {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify({ ...route.valid, padding: 'x'.repeat(5 * 1024 * 1024) });
        } else if (mode === 'bad-auth') {
          headers.authorization = fc.sample(fc.constantFrom('Bearer', 'Bearer x', 'Basic abc', 'Bearer ' + 'a'.repeat(300), 'bearer demo'), { seed, numRuns: 1 })[0]!;
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(route.valid);
        } else if (mode === 'bad-key') {
          headers['content-type'] = 'application/json';
          headers['idempotency-key'] = fc.sample(fc.constantFrom('', ' ', 'é', 'a'.repeat(201), '\t'), { seed, numRuns: 1 })[0]!;
          payload = route.url === '/api/v1/payments' ? JSON.stringify({ ...route.valid, amount: '0.001' }) : body;
        }
        const res = await env.app.inject({ method: route.method, url: route.url, headers, ...(payload !== undefined ? { payload } : {}) });
        cases++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        ctx.log(`${route.method} ${route.url} ${mode} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(documented(route.method, route.url)).toContain(String(res.statusCode));
        const problem = res.json() as { status: number; detail: string };
        expect(problem.status).toBe(res.statusCode);
        expect(problem.detail).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack traces
      }),
      { numRuns: RUNS },
    );
    expect(cases).toBe(RUNS);
    expect(rowCounts(env.ctx)).toEqual(before);
    console.log(`fuzz: ${cases} requests on ${ROUTES.length} mutating routes; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  }, 600_000);

  it('answers malformed query strings of the read routes with 400 problem+json', async () => {
    const reads = ['/api/v1/states?year=', '/api/v1/states/FRA/balance?asOf=', '/api/v1/reports/status-of-contributions?year=', '/api/v1/cashflow?year=', '/api/v1/reserve?asOf=', '/api/v1/invoices?year=', '/api/v1/payments?state='];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads), fc.oneof(fc.constantFrom('abc', '2018-02-30', '99999', '-1', '2018-13-01', '%00', 'FRA;DROP'), fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^[0-9]{4}$/.test(s) && !/^[A-Z]{3}$/.test(s))), async (url, v) => {
        const res = await env.app.inject({ url: `${url}${encodeURIComponent(v)}`, headers: auth(env.tokens.finance) });
        expect([400, 404]).toContain(res.statusCode);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: 500 },
    );
  });
});
