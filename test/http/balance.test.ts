/**
 * GET /api/v1/states/{iso3}/balance answers through the compiled serializer
 * (src/http/schemas/fast-serializer.ts): it must write, byte for byte, what
 * the app's zod serializer writes, for every State of the demo and any date.
 */
import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileFastSerializer } from '../../src/http/schemas/fast-serializer.js';
import { balanceOut } from '../../src/schemas/payments.js';
import { computeBalance } from '../../src/services/accounts.js';
import { cliActor } from '../../src/services/actor.js';
import { DEMO_LOGINS, seedDemo } from '../../src/services/demo.js';
import { auth, makeEnv, type TestEnv } from '../helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await makeEnv(undefined, { users: false });
  await seedDemo(env.ctx, cliActor('test'));
}, 60_000);
afterAll(() => env.close());

const zodSerialize = serializerCompiler({ schema: balanceOut, method: 'GET', url: '/api/v1/states/:iso3/balance', httpStatus: '200' } as never) as (data: unknown) => string;

describe('balance route', () => {
  it('writes the same bytes as the zod serializer for every State, today and at past dates', async () => {
    const finance = DEMO_LOGINS.find((l) => l.role === 'finance')!.token;
    const states = env.ctx.sqlite.prepare('SELECT iso3 FROM states ORDER BY iso3').pluck().all() as string[];
    expect(states).toHaveLength(103);
    let withArrears = 0;
    for (const iso3 of states)
      for (const asOf of [undefined, '2017-06-30', '2018-12-31']) {
        const res = await env.app.inject({ url: `/api/v1/states/${iso3}/balance${asOf ? `?asOf=${asOf}` : ''}`, headers: auth(finance) });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        const expected = computeBalance(env.ctx, iso3, asOf ?? res.json().asOf);
        expect(res.body).toBe(zodSerialize(expected));
        if (expected.arrears.length > 0) withArrears++;
      }
    expect(withArrears).toBeGreaterThan(50); // the comparison covered non-empty arrears lists
  });

  it('refuses, when the route is built, a response schema that JSON Schema cannot represent', () => {
    expect(() => compileFastSerializer(z.object({ amount: z.string().transform((s) => s.trim()) }))).toThrow();
  });
});
