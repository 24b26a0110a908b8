import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revisionDifference, type InvoicedLine } from '../../src/domain/revisions.js';

const line = (invoice: string, issued: number, category: string, position: number, remainingCentimes: bigint): InvoicedLine => ({ invoice, issued, category, position, remainingCentimes });
const target = (category: string, position: number, amountCentimes: bigint) => ({ category, position, amountCentimes });

describe('revisionDifference', () => {
  it('invoices what rises and credits what falls, category by category', () => {
    const invoiced = [line('I1', 1, '7(a)', 0, 1000n), line('I1', 1, '7(b)', 1, 5000n)];
    expect(revisionDifference(invoiced, [target('7(a)', 0, 1200n), target('7(b)', 1, 4500n)])).toEqual({
      supplementary: [{ category: '7(a)', position: 0, amountCentimes: 200n }],
      credits: [{ invoice: 'I1', category: '7(b)', amountCentimes: 500n }],
    });
    expect(revisionDifference(invoiced, [target('7(a)', 0, 1000n), target('7(b)', 1, 5000n)])).toEqual({ supplementary: [], credits: [] });
  });

  it('credits the latest invoice first, then the earlier ones', () => {
    const invoiced = [line('I1', 1, '7(b)', 1, 5000n), line('S2', 2, '7(b)', 1, 300n)];
    expect(revisionDifference(invoiced, [target('7(b)', 1, 4900n)]).credits).toEqual([{ invoice: 'S2', category: '7(b)', amountCentimes: 300n }, { invoice: 'I1', category: '7(b)', amountCentimes: 100n }]);
    expect(revisionDifference(invoiced, [target('7(b)', 1, 5100n)]).credits).toEqual([{ invoice: 'S2', category: '7(b)', amountCentimes: 200n }]);
    // Lines with nothing left are passed over.
    expect(revisionDifference([line('I1', 1, '7(b)', 1, 5000n), line('S2', 2, '7(b)', 1, 0n)], [target('7(b)', 1, 4000n)]).credits).toEqual([{ invoice: 'I1', category: '7(b)', amountCentimes: 1000n }]);
  });

  it('a category no longer assessed is credited in full; a new one is invoiced in full; order by position', () => {
    expect(revisionDifference([line('I1', 1, 'X', 2, 700n)], [target('7(b)', 1, 50n), target('7(a)', 0, 30n)])).toEqual({
      supplementary: [
        { category: '7(a)', position: 0, amountCentimes: 30n },
        { category: '7(b)', position: 1, amountCentimes: 50n },
      ],
      credits: [{ invoice: 'I1', category: 'X', amountCentimes: 700n }],
    });
    expect(revisionDifference([], [])).toEqual({ supplementary: [], credits: [] });
  });

  it('a revised scheme that reorders the categories: the revised order and positions win', () => {
    const invoiced = [line('I1', 1, '7(a)', 0, 1000n), line('I1', 1, '7(b)', 1, 5000n)];
    expect(revisionDifference(invoiced, [target('7(b)', 0, 5100n), target('7(a)', 1, 1100n)]).supplementary).toEqual([
      { category: '7(b)', position: 0, amountCentimes: 100n },
      { category: '7(a)', position: 1, amountCentimes: 100n },
    ]);
  });

  it('property: per category, invoiced + supplementary − credits = target; credits never exceed a line; the latest first', () => {
    const arbLine = fc.record({ invoice: fc.constantFrom('A', 'B', 'C'), category: fc.constantFrom('x', 'y'), remaining: fc.bigInt(0n, 1000n) });
    fc.assert(
      fc.property(fc.array(arbLine, { maxLength: 6 }), fc.bigInt(0n, 3000n), fc.bigInt(0n, 3000n), (raw, tx, ty) => {
        // One line per invoice and category; issue order A < B < C.
        const seen = new Set<string>();
        const invoiced = raw
          .filter((l) => !seen.has(`${l.invoice}${l.category}`) && seen.add(`${l.invoice}${l.category}`))
          .map((l) => line(l.invoice, 'ABC'.indexOf(l.invoice), l.category, l.category === 'x' ? 0 : 1, l.remaining));
        const r = revisionDifference(invoiced, [target('x', 0, tx), target('y', 1, ty)]);
        for (const [c, t] of [['x', tx], ['y', ty]] as const) {
          const base = invoiced.filter((l) => l.category === c).reduce((s, l) => s + l.remainingCentimes, 0n);
          const sup = r.supplementary.filter((s) => s.category === c).reduce((s, l) => s + l.amountCentimes, 0n);
          const cred = r.credits.filter((s) => s.category === c).reduce((s, l) => s + l.amountCentimes, 0n);
          expect(base + sup - cred).toBe(t);
          expect(sup === 0n || cred === 0n).toBe(true);
          // The model: credit the lines from the latest invoice back, each as far as it goes.
          let fall = base > t ? base - t : 0n;
          const expected: { invoice: string; amountCentimes: bigint }[] = [];
          for (const l of invoiced.filter((x) => x.category === c).sort((a, b) => b.issued - a.issued)) {
            const take = l.remainingCentimes < fall ? l.remainingCentimes : fall;
            if (take > 0n) expected.push({ invoice: l.invoice, amountCentimes: take });
            fall -= take;
          }
          expect(r.credits.filter((s) => s.category === c).map((s) => ({ invoice: s.invoice, amountCentimes: s.amountCentimes }))).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});
