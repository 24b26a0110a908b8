/**
 * The OpenAPI document is one a generated client can rely on (issue 12):
 * operationIds, every problem each operation can answer, real media types,
 * servers, and nothing unused. The linter and the contract test are in
 * openapi-lint.test.ts and openapi-contract.test.ts.
 */
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentRoute, problemStatuses, usedComponents } from '../../src/http/plugins/openapi.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
import { makeEnv, type TestEnv } from '../helpers.js';

interface Operation {
  operationId?: string;
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  security?: unknown[];
}
interface Doc {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

let env: TestEnv;
let doc: Doc;
let operations: { method: string; path: string; op: Operation }[];
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  doc = (await env.app.inject({ url: '/api/v1/openapi.json' })).json() as Doc;
  operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
});
afterAll(() => env.close());

const codes = (op: Operation) => Object.keys(op.responses).sort();
const find = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path)!.op;

describe('the OpenAPI document', () => {
  it('has servers, a version and a description', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(doc.info.description).toMatch(/problem\+json/);
  });

  it('names every operation with a unique camelCase operationId', () => {
    expect(operations.length).toBeGreaterThan(40);
    const ids = operations.map((o) => o.op.operationId);
    for (const o of operations) expect(o.op.operationId, `${o.method} ${o.path}`).toMatch(/^[a-z][A-Za-z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(find('GET', '/api/v1/reports/status-of-contributions').operationId).toBe('getStatusOfContributions');
    expect(find('GET', '/api/v1/invoices').operationId).toBe('listInvoices');
    expect(find('POST', '/api/v1/payments').operationId).toBe('recordPayment');
  });

  it('documents every 4xx as application/problem+json with the Problem schema', () => {
    for (const { method, path, op } of operations)
      for (const [code, res] of Object.entries(op.responses))
        if (code.startsWith('4')) expect(res.content, `${method} ${path} ${code}`).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
  });

  it('derives the statuses from access, inputs and what the service raises', () => {
    expect(codes(find('GET', '/api/v1/health'))).toEqual(['200', '406']);
    expect(codes(find('GET', '/api/v1/me'))).toEqual(['200', '401', '406', '429']);
    expect(codes(find('GET', '/api/v1/budgets'))).toEqual(['200', '401', '403', '406', '429']);
    expect(codes(find('GET', '/api/v1/states/{iso3}/balance'))).toEqual(['200', '400', '401', '403', '404', '406', '429']);
    expect(codes(find('POST', '/api/v1/payments'))).toEqual(['201', '400', '401', '403', '406', '409', '413', '415', '422', '429']);
    expect(codes(find('GET', '/api/v1/invoices/{number}/pdf'))).toEqual(['200', '400', '401', '403', '404', '409', '429']);
    expect(codes(find('GET', '/api/v1/budgets/{year}/assessment'))).toEqual(['200', '400', '401', '403', '404', '406', '422', '429']);
    // Every protected operation: 401 and 429; every operation with a body: 413, 415, 422.
    for (const { method, path, op } of operations) {
      if (op.security === undefined || (op.security as unknown[]).length > 0) expect(codes(op), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '429']));
      if (op.requestBody) expect(codes(op), `${method} ${path}`).toEqual(expect.arrayContaining(['400', '413', '415', '422']));
      if (op.parameters?.length) expect(codes(op), `${method} ${path}`).toContain('400');
    }
  });

  it('allows the extension members the API sends in the Problem schema', () => {
    const problem = doc.components.schemas.Problem!;
    expect(problem.additionalProperties).toBe(true);
    expect(Object.keys(problem.properties as object)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'requestId', 'errors', 'field', 'paymentId', 'limit', 'limitAmount', 'exceededBy', 'assessmentError', 'acceptable']),
    );
  });

  it('gives each media type its own schema: PDF and XLSX as binary, CSV as a string', () => {
    const status = find('GET', '/api/v1/reports/status-of-contributions').responses['200']!.content!;
    expect(Object.keys(status)).toEqual(['application/json', 'text/csv', 'application/pdf', XLSX]);
    expect(status[XLSX]!.schema).toMatchObject({ type: 'string', format: 'binary' });
    const statement = find('GET', '/api/v1/states/{iso3}/statement').responses['200']!.content!;
    expect(Object.keys(statement)).toEqual(['application/json', 'application/pdf', XLSX]);
    const execution = find('GET', '/api/v1/budgets/{year}/execution').responses['200']!.content!;
    expect(Object.keys(execution)).toEqual(['application/json', 'text/csv', 'application/pdf', XLSX]);
    expect(execution['application/pdf']!.schema).toMatchObject({ type: 'string', format: 'binary' });
    for (const path of ['/api/v1/states/{iso3}/statement.xlsx', '/api/v1/reports/status-of-contributions.xlsx'])
      expect(find('GET', path).responses['200']!.content, path).toEqual({ [XLSX]: { schema: expect.objectContaining({ type: 'string', format: 'binary' }) } });
    expect(status['application/json']!.schema).toEqual({ $ref: '#/components/schemas/StatusOfContributions' });
    expect(status['text/csv']!.schema).toMatchObject({ type: 'string' });
    expect(status['application/pdf']!.schema).toMatchObject({ type: 'string', format: 'binary' });
    for (const path of ['/api/v1/invoices/{number}/pdf', '/api/v1/credit-notes/{number}/pdf', '/api/v1/states/{iso3}/statement.pdf', '/api/v1/reports/status-of-contributions.pdf'])
      expect(find('GET', path).responses['200']!.content, path).toEqual({ 'application/pdf': { schema: expect.objectContaining({ type: 'string', format: 'binary' }) } });
  });

  it('documents the CSV request bodies', () => {
    for (const path of ['/api/v1/scales', '/api/v1/states/import']) {
      const content = find('POST', path).requestBody!.content;
      expect(Object.keys(content), path).toEqual(['application/json', 'text/csv']);
      expect(content['text/csv']!.schema).toMatchObject({ type: 'string' });
    }
    expect(Object.keys(find('POST', '/api/v1/budgets').requestBody!.content)).toEqual(['application/json']);
  });

  it('has no component that no operation uses', () => {
    expect(Object.keys(doc.components.schemas).sort()).toEqual([...usedComponents(doc)].sort());
    expect(doc.components.schemas).toHaveProperty('Problem');
  });
});

describe('documenting a route', () => {
  const route = (over: Partial<RouteOptions>) => ({ method: 'GET', url: '/api/v1/x', handler: async () => ({}), ...over }) as RouteOptions;

  it('refuses an /api route without an operationId', () => {
    expect(() => documentRoute(route({ schema: {}, config: { access: { public: true } } }))).toThrow(/operationId/);
    expect(() => documentRoute(route({ schema: { hide: true } as object, config: { access: { public: true } } }))).not.toThrow();
  });

  it('derives the problem statuses', () => {
    expect(problemStatuses({ method: 'GET', url: '/api/v1/x', config: { access: { public: true } } })).toEqual([]);
    expect(problemStatuses({ method: 'GET', url: '/api/v1/x', config: { access: { roles: ['admin', 'finance', 'presidency', 'auditor', 'state'] } } })).toEqual([401, 429]);
    expect(problemStatuses({ method: 'POST', url: '/api/v1/x', config: { access: { roles: ['admin', 'finance', 'presidency', 'auditor', 'state'] } } })).toEqual([401, 403, 429]);
    expect(problemStatuses({ method: 'GET', url: '/api/v1/x', config: { access: { roles: ['finance'], ownState: 'param' }, throws: [409] } })).toEqual([401, 403, 404, 409, 429]);
  });
});
