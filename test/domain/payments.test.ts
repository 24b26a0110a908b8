import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, applicationOrder, type Allocation, type OpenLine } from '../../src/domain/payments.js';

const line = (invoiceNumber: string, budgetYear: number, issueDate: string, position: number, category: string, openCentimes: bigint): OpenLine => ({
  invoiceNumber,
  budgetYear,
  issueDate,
  position,
  category,
  openCentimes,
});

const alloc = (invoiceNumber: string, budgetYear: number, category: string, amountCentimes: bigint): Allocation => ({ invoiceNumber, budgetYear, category, amountCentimes });

/** Every ordering of `xs` (for the small fixed examples: the result must not depend on the order the lines come in). */
function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/**
 * Independent model of SPEC 2.5: walk the budget years oldest first, within a
 * year the issue dates oldest first, within a date the invoice numbers in
 * order, within an invoice the category positions in order; lines that tie on
 * all four keep the order they were given in. Fill each open line while money
 * is left.
 */
function modelAllocate(amount: bigint, lines: readonly OpenLine[]): { allocations: Allocation[]; remainderCentimes: bigint } {
  const distinct = <T>(xs: T[]) => [...new Set(xs)];
  const byNumber = (a: number, b: number) => a - b;
  let left = amount;
  const allocations: Allocation[] = [];
  for (const year of distinct(lines.map((l) => l.budgetYear)).sort(byNumber)) {
    const ofYear = lines.filter((l) => l.budgetYear === year);
    for (const date of distinct(ofYear.map((l) => l.issueDate)).sort()) {
      const ofDate = ofYear.filter((l) => l.issueDate === date);
      for (const number of distinct(ofDate.map((l) => l.invoiceNumber)).sort()) {
        const ofInvoice = ofDate.filter((l) => l.invoiceNumber === number);
        for (const position of distinct(ofInvoice.map((l) => l.position)).sort(byNumber)) {
          for (const l of ofInvoice.filter((x) => x.position === position)) {
            if (left > 0n && l.openCentimes > 0n) {
              const take = l.openCentimes > left ? left : l.openCentimes;
              allocations.push(alloc(l.invoiceNumber, l.budgetYear, l.category, take));
              left -= take;
            }
          }
        }
      }
    }
  }
  return { allocations, remainderCentimes: left };
}

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

  it('orders by budget year before issue date: an arrears invoice issued late is still paid first', () => {
    // The 2017 invoice was issued after the 2018 one (and carries the higher number), yet its budget year is older.
    const lines = [line('ISU-2017-0009', 2017, '2018-02-01', 0, '7(a)', 700n), line('ISU-2018-0001', 2018, '2017-09-15', 0, '7(a)', 900n)];
    for (const given of permutations(lines)) {
      expect(allocate(1000n, given)).toEqual({
        allocations: [alloc('ISU-2017-0009', 2017, '7(a)', 700n), alloc('ISU-2018-0001', 2018, '7(a)', 300n)],
        remainderCentimes: 0n,
      });
    }
  });

  it('within one budget year, the earlier issue date first, whatever the invoice numbers', () => {
    // Same budget year, the earlier-issued invoice has the higher number.
    const lines = [line('ISU-2018-0002', 2018, '2017-09-15', 0, '7(a)', 400n), line('ISU-2018-0001', 2018, '2018-03-01', 0, '7(a)', 400n)];
    for (const given of permutations(lines)) {
      expect(allocate(500n, given)).toEqual({
        allocations: [alloc('ISU-2018-0002', 2018, '7(a)', 400n), alloc('ISU-2018-0001', 2018, '7(a)', 100n)],
        remainderCentimes: 0n,
      });
    }
  });

  it('within one budget year and issue date, the lower invoice number first, then 7(a) before 7(b)', () => {
    const lines = [
      line('ISU-2018-0002', 2018, '2017-09-15', 0, '7(a)', 100n),
      line('ISU-2018-0001', 2018, '2017-09-15', 1, '7(b)', 200n),
      line('ISU-2018-0001', 2018, '2017-09-15', 0, '7(a)', 300n),
    ];
    for (const given of permutations(lines)) {
      expect(allocate(550n, given)).toEqual({
        allocations: [alloc('ISU-2018-0001', 2018, '7(a)', 300n), alloc('ISU-2018-0001', 2018, '7(b)', 200n), alloc('ISU-2018-0002', 2018, '7(a)', 50n)],
        remainderCentimes: 0n,
      });
    }
  });

  it('a line paid exactly: nothing left, the next line gets nothing', () => {
    const lines = [line('A', 2017, '2016-09-15', 0, '7(a)', 1000n), line('B', 2018, '2017-09-15', 0, '7(a)', 1000n)];
    expect(allocate(1000n, lines)).toEqual({ allocations: [alloc('A', 2017, '7(a)', 1000n)], remainderCentimes: 0n });
    expect(allocate(1001n, lines)).toEqual({ allocations: [alloc('A', 2017, '7(a)', 1000n), alloc('B', 2018, '7(a)', 1n)], remainderCentimes: 0n });
    expect(allocate(0n, lines)).toEqual({ allocations: [], remainderCentimes: 0n });
  });

  it('skips lines with nothing open and keeps the unapplied remainder', () => {
    const lines = [line('A', 2017, '2016-09-15', 0, '7(a)', 0n), line('A', 2017, '2016-09-15', 1, '7(b)', -5n), line('B', 2018, '2017-09-15', 0, '7(a)', 250n)];
    expect(allocate(300n, lines)).toEqual({ allocations: [alloc('B', 2018, '7(a)', 250n)], remainderCentimes: 50n });
    expect(allocate(300n, [])).toEqual({ allocations: [], remainderCentimes: 300n });
  });

  it('refuses a negative amount', () => {
    expect(() => allocate(-1n, [line('A', 2017, '2016-09-15', 0, '7(a)', 100n)])).toThrow('internal: cannot allocate a negative amount');
  });

  it('matches the oldest-first model for any amount and any open lines (property)', () => {
    // Few distinct values per key, so that lines often share a year, a date or a number.
    const arbLine = fc.record({
      invoiceNumber: fc.constantFrom('ISU-0001', 'ISU-0002', 'ISU-0010'),
      budgetYear: fc.integer({ min: 2016, max: 2018 }),
      issueDate: fc.constantFrom('2015-12-31', '2016-06-30', '2017-09-15'),
      position: fc.integer({ min: 0, max: 2 }),
      category: fc.constantFrom('7(a)', '7(b)', 'x'),
      openCentimes: fc.oneof(fc.bigInt(-100n, 1_000n), fc.bigInt(1n, 1_000_000n)),
    });
    fc.assert(
      fc.property(fc.oneof(fc.bigInt(0n, 3_000n), fc.bigInt(0n, 5_000_000n)), fc.array(arbLine, { maxLength: 10 }), (amount, lines) => {
        expect(allocate(amount, lines)).toEqual(modelAllocate(amount, lines));
      }),
      { numRuns: 500 },
    );
  });
});

describe('applicationOrder', () => {
  it('compares budget year, then issue date, then invoice number, then position', () => {
    const base = line('ISU-2018-0005', 2018, '2017-09-15', 1, '7(b)', 1n);
    const sign = (a: OpenLine, b: OpenLine) => Math.sign(applicationOrder(a, b));
    expect(sign(base, { ...base })).toBe(0);
    // Each key decides when the earlier ones tie, and overrides all later ones.
    expect(sign({ ...base, budgetYear: 2017, issueDate: '2018-01-01', invoiceNumber: 'ISU-2018-0009', position: 2 }, base)).toBe(-1);
    expect(sign(base, { ...base, budgetYear: 2017, issueDate: '2018-01-01', invoiceNumber: 'ISU-2018-0009', position: 2 })).toBe(1);
    expect(sign({ ...base, issueDate: '2017-09-14', invoiceNumber: 'ISU-2018-0009', position: 2 }, base)).toBe(-1);
    expect(sign(base, { ...base, issueDate: '2017-09-14', invoiceNumber: 'ISU-2018-0009', position: 2 })).toBe(1);
    expect(sign({ ...base, invoiceNumber: 'ISU-2018-0004', position: 2 }, base)).toBe(-1);
    expect(sign(base, { ...base, invoiceNumber: 'ISU-2018-0004', position: 2 })).toBe(1);
    expect(sign({ ...base, position: 0 }, base)).toBe(-1);
    expect(sign(base, { ...base, position: 0 })).toBe(1);
  });
});
