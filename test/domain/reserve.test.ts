import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateRestoration, checkDrawdown, defaultMonthlyPlan, lowestFrom, shortfall, type OutstandingDrawdown } from '../../src/domain/reserve.js';

const dd = (id: number, date: string, outstandingCentimes: bigint): OutstandingDrawdown => ({ id, date, outstandingCentimes });
const sum = (xs: readonly bigint[]) => xs.reduce((s, x) => s + x, 0n);

describe('shortfall', () => {
  it('is how far operating cash is below zero, and 0 otherwise', () => {
    expect(shortfall(-150_00n)).toBe(150_00n);
    expect(shortfall(-1n)).toBe(1n);
    expect(shortfall(0n)).toBe(0n);
    expect(shortfall(1n)).toBe(0n);
    expect(shortfall(2_500_00n)).toBe(0n);
  });
});

describe('checkDrawdown', () => {
  it('allows a drawdown equal to the shortfall when the reserve is larger', () => {
    // Operating cash −CHF 1,000.00, reserve CHF 5,000.00.
    expect(checkDrawdown(1_000_00n, 5_000_00n, -1_000_00n)).toBeNull();
    expect(checkDrawdown(999_99n, 5_000_00n, -1_000_00n)).toBeNull();
  });

  it('refuses one centime above the shortfall, naming the shortfall as the limit', () => {
    expect(checkDrawdown(1_000_01n, 5_000_00n, -1_000_00n)).toEqual({ limit: 'operating-shortfall', limitCentimes: 1_000_00n, exceededByCentimes: 1n });
    expect(checkDrawdown(1_250_00n, 5_000_00n, -1_000_00n)).toEqual({ limit: 'operating-shortfall', limitCentimes: 1_000_00n, exceededByCentimes: 250_00n });
  });

  it('allows a drawdown equal to the whole reserve when the shortfall is larger', () => {
    // Operating cash −CHF 5,000.00, reserve CHF 1,000.00.
    expect(checkDrawdown(1_000_00n, 1_000_00n, -5_000_00n)).toBeNull();
  });

  it('refuses one centime above the reserve, naming the reserve balance as the limit', () => {
    expect(checkDrawdown(1_000_01n, 1_000_00n, -5_000_00n)).toEqual({ limit: 'reserve-balance', limitCentimes: 1_000_00n, exceededByCentimes: 1n });
    expect(checkDrawdown(4_000_00n, 1_000_00n, -5_000_00n)).toEqual({ limit: 'reserve-balance', limitCentimes: 1_000_00n, exceededByCentimes: 3_000_00n });
  });

  it('allows a drawdown equal to both limits when they are equal, and refuses a centime more', () => {
    expect(checkDrawdown(700_00n, 700_00n, -700_00n)).toBeNull();
    // Equal limits: the shortfall is named.
    expect(checkDrawdown(700_01n, 700_00n, -700_00n)).toEqual({ limit: 'operating-shortfall', limitCentimes: 700_00n, exceededByCentimes: 1n });
  });

  it('names the tighter limit when a drawdown breaks both (the most that could be drawn)', () => {
    // Shortfall 100.00, reserve 50.00: 150.00 breaks both; the reserve is the tighter limit.
    expect(checkDrawdown(150_00n, 50_00n, -100_00n)).toEqual({ limit: 'reserve-balance', limitCentimes: 50_00n, exceededByCentimes: 100_00n });
    // Shortfall 50.00, reserve 100.00: the shortfall is the tighter limit.
    expect(checkDrawdown(150_00n, 100_00n, -50_00n)).toEqual({ limit: 'operating-shortfall', limitCentimes: 50_00n, exceededByCentimes: 100_00n });
    // One centime apart.
    expect(checkDrawdown(200_00n, 99_99n, -100_00n)?.limit).toBe('reserve-balance');
    expect(checkDrawdown(200_00n, 100_01n, -100_00n)?.limit).toBe('operating-shortfall');
  });

  it('refuses any drawdown when there is no shortfall (cash at zero or positive)', () => {
    expect(checkDrawdown(1n, 5_000_00n, 0n)).toEqual({ limit: 'operating-shortfall', limitCentimes: 0n, exceededByCentimes: 1n });
    expect(checkDrawdown(300_00n, 5_000_00n, 200_00n)).toEqual({ limit: 'operating-shortfall', limitCentimes: 0n, exceededByCentimes: 300_00n });
  });

  it('refuses any drawdown from an empty reserve', () => {
    expect(checkDrawdown(1n, 0n, -1_000_00n)).toEqual({ limit: 'reserve-balance', limitCentimes: 0n, exceededByCentimes: 1n });
  });

  it('valid iff at most min(shortfall, reserve); a refusal names a limit that is broken, with the right figures (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt(0n, 20_000n),
        fc.bigInt(0n, 20_000n),
        fc.bigInt(-20_000n, 5_000n),
        fc.bigInt(-3n, 3n),
        fc.boolean(),
        (random, reserve, cash, nudge, nearLimit) => {
          const gap = cash < 0n ? -cash : 0n;
          const cap = gap < reserve ? gap : reserve;
          // Half the runs sit within a few centimes of the tighter limit.
          const amount = nearLimit && cap + nudge >= 0n ? cap + nudge : random;
          const refusal = checkDrawdown(amount, reserve, cash);
          if (amount <= gap && amount <= reserve) {
            expect(refusal).toBeNull();
            return;
          }
          expect(refusal).not.toBeNull();
          const { limit, limitCentimes, exceededByCentimes } = refusal!;
          const broken = { 'operating-shortfall': gap, 'reserve-balance': reserve };
          expect(limitCentimes).toBe(broken[limit]);
          expect(amount).toBeGreaterThan(limitCentimes);
          expect(exceededByCentimes).toBe(amount - limitCentimes);
          // The tighter limit is named (the shortfall when they are equal).
          expect(limit).toBe(gap <= reserve ? 'operating-shortfall' : 'reserve-balance');
          expect(limitCentimes).toBe(cap);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('allocateRestoration', () => {
  it('restores the oldest drawdown first, whatever order the drawdowns come in', () => {
    const drawdowns = [dd(3, '2018-05-10', 300n), dd(1, '2018-02-01', 100n), dd(2, '2018-03-15', 200n)];
    expect(allocateRestoration(250n, drawdowns)).toEqual([
      { drawdownId: 1, amountCentimes: 100n },
      { drawdownId: 2, amountCentimes: 150n },
    ]);
    expect(allocateRestoration(600n, [...drawdowns].reverse())).toEqual([
      { drawdownId: 1, amountCentimes: 100n },
      { drawdownId: 2, amountCentimes: 200n },
      { drawdownId: 3, amountCentimes: 300n },
    ]);
  });

  it('breaks a tie on the date by id, whatever order the drawdowns come in', () => {
    const a = dd(7, '2018-04-01', 100n);
    const b = dd(4, '2018-04-01', 100n);
    const c = dd(9, '2018-04-01', 100n);
    for (const given of [
      [a, b, c],
      [a, c, b],
      [b, a, c],
      [b, c, a],
      [c, a, b],
      [c, b, a],
    ]) {
      expect(allocateRestoration(150n, given)).toEqual([
        { drawdownId: 4, amountCentimes: 100n },
        { drawdownId: 7, amountCentimes: 50n },
      ]);
    }
  });

  it('stops at the drawdown that uses up the restoration, with no zero parts', () => {
    const drawdowns = [dd(1, '2018-01-10', 100n), dd(2, '2018-02-10', 100n)];
    expect(allocateRestoration(100n, drawdowns)).toEqual([{ drawdownId: 1, amountCentimes: 100n }]);
    expect(allocateRestoration(40n, drawdowns)).toEqual([{ drawdownId: 1, amountCentimes: 40n }]);
    expect(allocateRestoration(0n, drawdowns)).toEqual([]);
  });

  it('leaves fully restored drawdowns (outstanding 0) out', () => {
    const drawdowns = [dd(1, '2018-01-10', 0n), dd(2, '2018-02-10', 80n), dd(3, '2018-03-10', 0n), dd(4, '2018-04-10', 50n)];
    expect(allocateRestoration(100n, drawdowns)).toEqual([
      { drawdownId: 2, amountCentimes: 80n },
      { drawdownId: 4, amountCentimes: 20n },
    ]);
  });

  it('restores only the named drawdown, even when it is not the oldest', () => {
    const drawdowns = [dd(1, '2018-01-10', 100n), dd(2, '2018-02-10', 200n), dd(3, '2018-03-10', 300n)];
    expect(allocateRestoration(150n, drawdowns, 2)).toEqual([{ drawdownId: 2, amountCentimes: 150n }]);
    expect(allocateRestoration(200n, drawdowns, 2)).toEqual([{ drawdownId: 2, amountCentimes: 200n }]);
  });

  it('throws a RangeError when the restoration exceeds what is outstanding', () => {
    const drawdowns = [dd(1, '2018-01-10', 100n), dd(2, '2018-02-10', 200n)];
    expect(allocateRestoration(300n, drawdowns)).toHaveLength(2);
    expect(() => allocateRestoration(301n, drawdowns)).toThrow(new RangeError('restoration exceeds the outstanding drawdowns'));
    // The named drawdown alone owes 100.00: one centime more is too much, though the others could take it.
    expect(() => allocateRestoration(101n, drawdowns, 1)).toThrow(RangeError);
    expect(() => allocateRestoration(1n, drawdowns, 99)).toThrow(RangeError);
    expect(() => allocateRestoration(1n, [dd(1, '2018-01-10', 0n)])).toThrow(RangeError);
    expect(() => allocateRestoration(1n, [])).toThrow(RangeError);
  });

  it('matches an oldest-first model (property)', () => {
    const arbDrawdowns = fc.uniqueArray(
      fc.record({ id: fc.integer({ min: 1, max: 50 }), date: fc.constantFrom('2018-01-05', '2018-02-10', '2018-02-11', '2018-06-30'), outstandingCentimes: fc.oneof(fc.constant(0n), fc.bigInt(1n, 500n)) }),
      { selector: (d) => d.id, maxLength: 8 },
    );
    fc.assert(
      fc.property(arbDrawdowns, fc.bigInt(0n, 3_000n), fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }), (drawdowns, amount, named) => {
        // Model: sort (date, id) as a string key, repeatedly take the first drawdown still owing.
        const key = (d: OutstandingDrawdown) => `${d.date}#${String(d.id).padStart(3, '0')}`;
        const owing = drawdowns.filter((d) => (named === undefined || d.id === named) && d.outstandingCentimes > 0n).sort((a, b) => (key(a) < key(b) ? -1 : 1));
        if (amount > sum(owing.map((d) => d.outstandingCentimes))) {
          expect(() => allocateRestoration(amount, drawdowns, named)).toThrow(RangeError);
          return;
        }
        const expected: { drawdownId: number; amountCentimes: bigint }[] = [];
        let left = amount;
        for (const d of owing) {
          if (left <= 0n) break;
          const take = left < d.outstandingCentimes ? left : d.outstandingCentimes;
          expected.push({ drawdownId: d.id, amountCentimes: take });
          left -= take;
        }
        expect(allocateRestoration(amount, drawdowns, named)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('lowestFrom', () => {
  it('is the value on the date when nothing later lowers it', () => {
    expect(lowestFrom(500n, [])).toBe(500n);
    expect(lowestFrom(500n, [100n, 0n, 20n])).toBe(500n);
  });

  it('is the lowest running balance after the later changes', () => {
    // 500 → 300 → 350 → 50 → 450
    expect(lowestFrom(500n, [-200n, 50n, -300n, 400n])).toBe(50n);
    // 100 → 150 → −20 → 0
    expect(lowestFrom(100n, [50n, -170n, 20n])).toBe(-20n);
    expect(lowestFrom(-10n, [5n, 5n])).toBe(-10n);
  });

  it('matches the minimum of the prefix sums (property)', () => {
    fc.assert(
      fc.property(fc.bigInt(-10_000n, 10_000n), fc.array(fc.bigInt(-5_000n, 5_000n), { maxLength: 15 }), (start, deltas) => {
        const balances = deltas.map((_, i) => start + sum(deltas.slice(0, i + 1)));
        const expected = [start, ...balances].reduce((lo, v) => (v < lo ? v : lo));
        expect(lowestFrom(start, deltas)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('defaultMonthlyPlan', () => {
  it('splits CHF 1,000,000.05 into 12 months summing exactly, the 9 remainder centimes on January to September', () => {
    // 100,000,005 centimes = 12 × 8,333,333 + 9: base CHF 83,333.33 and 9 remainder centimes.
    const plan = defaultMonthlyPlan(100_000_005n);
    expect(plan).toEqual([...Array(9).fill(8_333_334n), ...Array(3).fill(8_333_333n)]);
    expect(sum(plan)).toBe(100_000_005n);
  });

  it('with remainder 0 every month is the same', () => {
    expect(defaultMonthlyPlan(1_200_000_00n)).toEqual(Array(12).fill(10_000_000n));
    expect(defaultMonthlyPlan(0n)).toEqual(Array(12).fill(0n));
  });

  it('with remainder 11 only December gets the base amount', () => {
    // 12 × 100 + 11 = 1211 centimes.
    expect(defaultMonthlyPlan(1_211n)).toEqual([...Array(11).fill(101n), 100n]);
  });

  it('a budget below 12 centimes puts one centime on each of the first months', () => {
    expect(defaultMonthlyPlan(5n)).toEqual([1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  });

  it('always 12 months, summing exactly, non-increasing, differing by at most one centime (property)', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 100_000_000_000n), (budget) => {
        const plan = defaultMonthlyPlan(budget);
        expect(plan).toHaveLength(12);
        expect(sum(plan)).toBe(budget);
        for (let i = 1; i < 12; i++) expect(plan[i]! <= plan[i - 1]!).toBe(true);
        expect(plan[0]! - plan[11]! <= 1n).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
