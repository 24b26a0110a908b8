import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, applicationOrder, type OpenLine } from '../../src/domain/payments.js';

const line = (invoiceNumber: string, budgetYear: number, issueDate: string, position: number, category: string, openCentimes: bigint): OpenLine => ({
  invoiceNumber,
  budgetYear,
  issueDate,
  position,
  category,
  openCentimes,
});

describe('allocate', () => {
  it('pays the oldest invoice first and 7(a) before 7(b), leaving the rest as remainder', () => {
    const lines = [
      line('ISU-2018-0001', 2018, '2017-09-15', 0, '7(a)', 1000n),
      line('ISU-2018-0001', 2018, '2017-09-15', 1, '7(b)', 5000n),
      line('ISU-2017-0001', 2017, '2016-09-15', 1, '7(b)', 3000n),
      line('ISU-2017-0001', 2017, '2016-09-15', 0, '7(a)', 1000n),
    ];
    expect(allocate(4500n, lines)).toEqual({
      allocations: [
        { invoiceNumber: 'ISU-2017-0001', budgetYear: 2017, category: '7(a)', amountCentimes: 1000n },
        { invoiceNumber: 'ISU-2017-0001', budgetYear: 2017, category: '7(b)', amountCentimes: 3000n },
        { invoiceNumber: 'ISU-2018-0001', budgetYear: 2018, category: '7(a)', amountCentimes: 500n },
      ],
      remainderCentimes: 0n,
    });
    expect(allocate(20000n, lines).remainderCentimes).toBe(10000n);
  });

  it('never over-applies, conserves the amount and fills in order (property)', () => {
    const arbLine = fc.record({
      invoiceNumber: fc.constantFrom('A', 'B', 'C', 'D'),
      budgetYear: fc.integer({ min: 2014, max: 2020 }),
      issueDate: fc.constantFrom('2015-01-01', '2016-06-30', '2017-09-15'),
      position: fc.integer({ min: 0, max: 3 }),
      category: fc.constantFrom('7(a)', '7(b)', 'x'),
      openCentimes: fc.bigInt(-100n, 1_000_000n),
    });
    fc.assert(
      fc.property(fc.bigInt(0n, 5_000_000n), fc.array(arbLine, { maxLength: 12 }), (amount, lines) => {
        const { allocations, remainderCentimes } = allocate(amount, lines);
        expect(allocations.reduce((s, a) => s + a.amountCentimes, 0n) + remainderCentimes).toBe(amount);
        expect(remainderCentimes).toBeGreaterThanOrEqual(0n);
        const sorted = [...lines].sort(applicationOrder).filter((l) => l.openCentimes > 0n);
        // Allocations follow the order, each at most the line's open amount, and only the last may be partial.
        allocations.forEach((a, i) => {
          const l = sorted[i]!;
          expect(a.invoiceNumber).toBe(l.invoiceNumber);
          expect(a.amountCentimes).toBeGreaterThan(0n);
          expect(a.amountCentimes).toBeLessThanOrEqual(l.openCentimes);
          if (i < allocations.length - 1) expect(a.amountCentimes).toBe(l.openCentimes);
        });
        if (remainderCentimes > 0n) expect(allocations.length).toBe(sorted.length);
      }),
      { numRuns: 1000 },
    );
  });
});
