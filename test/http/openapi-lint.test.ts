/**
 * The OpenAPI document passes Redocly's recommended rules with no error
 * (issue 12): the same lint as `npm run lint:openapi`, so `npm test` (CI)
 * enforces it. Warnings are allowed; the known ones are listed here so that a
 * new kind shows up in review.
 */
import { describe, expect, it } from 'vitest';
import { formatProblems, lintDocument, lintOpenApi, openApiDocument } from '../../scripts/openapi-lint.js';

describe('OpenAPI lint (Redocly CLI, redocly.yaml)', () => {
  it('finds no error in the document', async () => {
    const result = await lintOpenApi();
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(formatProblems(errors)).toEqual([]);
    expect(result.totals.errors).toBe(0);
    // The one warning: the API declares no licence (the project has none to name).
    expect([...new Set(result.problems.map((p) => p.ruleId))]).toEqual(['info-license']);
  });

  it('reports an error when there is one', async () => {
    const doc = (await openApiDocument()) as { servers?: unknown; paths: Record<string, Record<string, { responses: unknown }>> };
    delete doc.servers;
    doc.paths['/api/v1/budgets']!.get!.responses = { '200': { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/Nowhere' } } } } };
    const result = await lintDocument(doc);
    expect(result.totals.errors).toBeGreaterThanOrEqual(2);
    expect(result.problems.map((p) => p.ruleId)).toEqual(expect.arrayContaining(['no-empty-servers', 'no-unresolved-refs']));
  });
});
