/**
 * Property (issue 13): over random sequences of invoice batches, payments
 * (some keyed against the wrong State), reversals, reallocations, credit
 * notes, re-issues and budget revisions (supplementary invoices and partial
 * credit notes), the ledger verifies, every State's balance equals its
 * invoices − credit notes − applications, and undoing everything (every
 * invoice credited, every payment reversed) brings every balance and every
 * credit back to zero.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliActor } from '../../src/services/actor.js';
import { computeBalance } from '../../src/services/accounts.js';
import { assessBudget, createBudget } from '../../src/services/budgets.js';
import { reallocatePayment, reversePayment } from '../../src/services/corrections.js';
import { DEMO_ISSUER } from '../../src/services/demo.js';
import { ServiceError } from '../../src/services/errors.js';
import { cancelInvoice, issueInvoiceBatch, listInvoices, reissueInvoice } from '../../src/services/invoices.js';
import { reviseBudget } from '../../src/services/revisions.js';
import { listPayments, recordPayment } from '../../src/services/payments.js';
import { createScale } from '../../src/services/scales.js';
import { issuerSettingsSchema, setIssuer } from '../../src/services/settings.js';
import { importStates } from '../../src/services/states.js';
import { verifyLedger } from '../../src/services/verify.js';
import { budgetCreate } from '../../src/schemas/budgets.js';
import { formatMoney } from '../../src/domain/money.js';
import { BUDGET_2018, makeEnv, SCALE_SMALL, STATE_BEN, STATE_FRA, STATE_MEX } from '../helpers.js';

const STATES = ['BEN', 'FRA', 'MEX'] as const;
const actor = cliActor('property');

type Op =
  | { t: 'issue'; year: 2016 | 2017 | 2018 }
  | { t: 'pay'; state: number; amount: bigint; quote: number; purpose: 'assessed' | 'voluntary' | 'reserve' }
  | { t: 'reverse'; pick: number }
  | { t: 'reallocate'; pick: number; to: number }
  | { t: 'cancel'; pick: number }
  | { t: 'reissue'; pick: number }
  | { t: 'revise'; pick: number; amount: bigint };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('issue' as const), year: fc.constantFrom(2016 as const, 2017 as const, 2018 as const) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('pay' as const),
      state: fc.nat(2),
      amount: fc.oneof(fc.bigInt(1n, 50_000n), fc.bigInt(1n, 4_000_000n)),
      // Quoting an invoice's reference, sometimes another State's (forced through, as a keying error).
      quote: fc.nat(20),
      purpose: fc.constantFrom('assessed' as const, 'assessed' as const, 'assessed' as const, 'voluntary' as const, 'reserve' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reverse' as const), pick: fc.nat(30) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('reallocate' as const), pick: fc.nat(30), to: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reissue' as const), pick: fc.nat(20) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('revise' as const),
      // One of the years already invoiced.
      pick: fc.nat(2),
      // The budgets start at 100,000.00: revisions up and down, to a few centimes.
      amount: fc.oneof(fc.bigInt(5_000_000n, 15_000_000n), fc.bigInt(1n, 300n)),
    }),
  },
);

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('corrections (property)', () => {
  it('keep the ledger verified and every balance a replay; undoing everything brings every balance to zero', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(op, fc.nat(30)), { minLength: 1, maxLength: 25 }), async (ops) => {
        const env = await makeEnv(
          (ctx) => {
            importStates(ctx, actor, [{ ...STATE_BEN, depositDate: '2010-01-10' }, STATE_FRA, STATE_MEX]);
            createScale(ctx, actor, SCALE_SMALL);
            for (const year of [2016, 2017, 2018])
              createBudget(ctx, actor, budgetCreate.parse({ ...BUDGET_2018, year, amount: '100000.00', approvedOn: `2015-09-0${year - 2015}`, cutoffDate: `${year}-03-31` }));
            setIssuer(ctx, actor, issuerSettingsSchema.parse(DEMO_ISSUER));
          },
          { users: false },
        );
        try {
          let today = '2015-10-01';
          let key = 0;
          const live = () => listPayments(env.ctx, {}, null).filter((p) => p.status === 'recorded');
          const sum = (sql: string, ...params: unknown[]) => (env.ctx.sqlite.prepare(sql).safeIntegers(true).get(...params) as { s: bigint | null }).s ?? 0n;
          /** What a State's invoices of a year come to, less every credit note on them. */
          const liveOf = (year: number, iso3: string) =>
            sum('SELECT SUM(total_centimes) AS s FROM invoices WHERE year = ? AND state_iso3 = ?', year, iso3) -
            sum('SELECT SUM(total_centimes) AS s FROM credit_notes WHERE year = ? AND state_iso3 = ?', year, iso3);
          for (const [o, days] of ops) {
            today = addDays(today, days);
            const invoices = listInvoices(env.ctx, {}, null);
            try {
              if (o.t === 'issue') await issueInvoiceBatch(env.ctx, actor, o.year, { issueDate: today });
              else if (o.t === 'pay') {
                const quoted = invoices.length ? invoices[o.quote % invoices.length] : undefined;
                recordPayment(env.ctx, actor, `p-${++key}`, {
                  iso3: STATES[o.state]!,
                  amount: formatMoney(o.amount),
                  receivedOn: today,
                  purpose: o.purpose,
                  ...(o.purpose === 'assessed' && quoted ? { reference: quoted.creditorReference, ignoreReferenceMismatch: true } : {}),
                });
              } else if (o.t === 'reverse') {
                const ps = live();
                if (ps.length) reversePayment(env.ctx, actor, ps[o.pick % ps.length]!.id, { reason: 'property', date: today });
              } else if (o.t === 'reallocate') {
                const ps = live().filter((p) => p.receivedOn <= today);
                if (ps.length) reallocatePayment(env.ctx, actor, ps[o.pick % ps.length]!.id, { iso3: STATES[o.to]!, reason: 'property' });
              } else if (o.t === 'cancel') {
                const open = invoices.filter((i) => i.status === 'issued' && i.remaining !== '0.00');
                if (open.length) await cancelInvoice(env.ctx, actor, open[o.pick % open.length]!.number, { reason: 'property', date: today });
              } else if (o.t === 'reissue') {
                const cancelled = invoices.filter((i) => i.status === 'cancelled');
                if (cancelled.length) await reissueInvoice(env.ctx, actor, cancelled[o.pick % cancelled.length]!.number, { reason: 'property', date: today });
              } else if (o.t === 'revise') {
                const years = [...new Set(invoices.map((i) => i.year))];
                if (years.length === 0) continue;
                const year = years[o.pick % years.length]!;
                const r = await reviseBudget(env.ctx, actor, year, {
                  amount: formatMoney(o.amount),
                  decisionRef: `R-${++key}`,
                  approvedOn: today,
                  reason: 'property',
                  issueDate: today,
                });
                // Each State's live documents of the year now come to its revised assessment, unless it was skipped.
                const assessment = assessBudget(env.ctx, year);
                for (const s of r.states.filter((x) => x.outcome !== 'skipped')) {
                  const row = assessment.rows.find((a) => a.iso3 === s.iso3);
                  expect(liveOf(year, s.iso3), s.iso3).toBe(row ? BigInt(row.total.replace('.', '')) : 0n);
                }
              }
            } catch (e) {
              // Refusals (credit already used, a date before the invoice…) are part of the game; nothing is half-written.
              if (!(e instanceof ServiceError)) throw e;
            }
          }
          const failed = () => verifyLedger(env.ctx).checks.filter((c) => !c.ok);
          expect(failed()).toEqual([]);
          const q = (sql: string, iso3: string) => (env.ctx.sqlite.prepare(sql).safeIntegers(true).get(iso3) as { s: bigint | null }).s ?? 0n;
          const documents = (iso3: string) =>
            q('SELECT SUM(total_centimes) AS s FROM invoices WHERE state_iso3 = ?', iso3) -
            q('SELECT SUM(total_centimes) AS s FROM credit_notes WHERE state_iso3 = ?', iso3) -
            q('SELECT SUM(amount_centimes) AS s FROM applications WHERE state_iso3 = ?', iso3);
          for (const iso3 of STATES) expect(BigInt(computeBalance(env.ctx, iso3, '9999-12-31').outstanding.replace('.', '')), iso3).toBe(documents(iso3));

          // Undo everything: credit every invoice, then reverse every payment (the money is then all credit, which each reversal takes back).
          const end = addDays(today, 1);
          for (const inv of listInvoices(env.ctx, {}, null).filter((i) => i.status === 'issued' && i.remaining !== '0.00')) await cancelInvoice(env.ctx, actor, inv.number, { reason: 'undo', date: end });
          for (const p of live().reverse()) reversePayment(env.ctx, actor, p.id, { reason: 'undo', date: end });
          for (const iso3 of STATES) {
            const b = computeBalance(env.ctx, iso3, end);
            expect({ outstanding: b.outstanding, credit: b.unappliedCredit }, iso3).toEqual({ outstanding: '0.00', credit: '0.00' });
          }
          expect(failed()).toEqual([]);
        } finally {
          await env.close();
        }
      }),
      { numRuns: 30 },
    );
  }, 300_000);
});
