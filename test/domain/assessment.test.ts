import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec, type Centimes } from '../../src/domain/money.js';
import {
  AssessmentError,
  computeAssessment,
  type Assessment,
  type AssessmentInput,
  type CategoryMethod,
  type CategorySpec,
  type StateToAssess,
} from '../../src/domain/assessment.js';

type Decimal = InstanceType<typeof Dec>;

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

const d = (s: string | number): Decimal => new Dec(s);
const MICRO = 1_000_000n;

function state(iso3: string, rate: string | null): StateToAssess {
  return { iso3, name: `State ${iso3}`, rate: rate === null ? null : d(rate) };
}

function input(amountCentimes: Centimes, categories: CategorySpec[], states: StateToAssess[], extra: { missingRate?: Decimal } = {}): AssessmentInput {
  return { year: 2018, amountCentimes, scaleCode: 'UN-2016-2018', scheme: { categories, ...extra }, states };
}

function row(a: Assessment, iso3: string) {
  const r = a.rows.find((x) => x.iso3 === iso3);
  if (!r) throw new Error(`no row for ${iso3}`);
  return r;
}

function amount(a: Assessment, iso3: string, code: string): Centimes {
  const v = row(a, iso3).amountsCentimes.get(code);
  if (v === undefined) throw new Error(`no ${code} amount for ${iso3}`);
  return v;
}

function catTotal(a: Assessment, code: string): Centimes {
  const c = a.categories.find((x) => x.code === code);
  if (!c) throw new Error(`no category ${code}`);
  return c.totalCentimes;
}

function expectAssessmentError(fn: () => unknown, code: string): AssessmentError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AssessmentError);
    expect((e as AssessmentError).code).toBe(code);
    return e as AssessmentError;
  }
  throw new Error(`expected AssessmentError ${code}, nothing was thrown`);
}

/** Independent round_half_even(amount × micro / 10^6) with bigints only. */
function halfEvenMicro(amountC: bigint, micro: bigint): bigint {
  const p = amountC * micro;
  const q = p / MICRO;
  const r = p % MICRO;
  if (2n * r > MICRO || (2n * r === MICRO && q % 2n === 1n)) return q + 1n;
  return q;
}

const toBig = (x: Decimal): bigint => BigInt(x.toFixed(0));

// ---------------------------------------------------------------------------
// hand-computed examples
// ---------------------------------------------------------------------------

describe('computeAssessment — hand-computed examples', () => {
  it('CHF 100.00, 7(a) 0.3 equal, 7(b) 0.7 scale, three States with rate 1', () => {
    const a = computeAssessment(
      input(
        10000n,
        [
          { code: '7(a)', label: 'Equal', share: d('0.3'), method: 'equal' },
          { code: '7(b)', label: 'Scale', share: d('0.7'), method: 'scale' },
        ],
        [state('CCC', '1'), state('AAA', '1'), state('BBB', '1')],
      ),
    );
    expect(catTotal(a, '7(a)')).toBe(3000n);
    expect(catTotal(a, '7(b)')).toBe(7000n);
    expect(a.rows.map((r) => r.iso3)).toEqual(['AAA', 'BBB', 'CCC']);
    for (const iso of ['AAA', 'BBB', 'CCC']) expect(amount(a, iso, '7(a)')).toBe(1000n);
    expect(amount(a, 'AAA', '7(b)')).toBe(2334n); // the tie centime goes to the alphabetically first
    expect(amount(a, 'BBB', '7(b)')).toBe(2333n);
    expect(amount(a, 'CCC', '7(b)')).toBe(2333n);
    expect(a.rows.map((r) => r.totalCentimes)).toEqual([3334n, 3333n, 3333n]);
    expect(a.totalCentimes).toBe(10000n);
    expect(row(a, 'BBB').rebasedRate!.mul(3).toDecimalPlaces(30).eq(1)).toBe(true);
    expect(row(a, 'BBB').rateSource).toBe('scale');
    expect(a.missingRateUsedFor).toEqual([]);
    expect(a.missingRate).toBeNull();
  });

  it('a ceiling: 7(b) CHF 100.00 with maxShare 0.5, rates AAA 8, BBB 1, CCC 1', () => {
    const a = computeAssessment(
      input(10000n, [{ code: '7(b)', label: 'Scale', share: d('1'), method: 'scale', maxShare: d('0.5') }], [
        state('AAA', '8'),
        state('BBB', '1'),
        state('CCC', '1'),
      ]),
    );
    expect(amount(a, 'AAA', '7(b)')).toBe(5000n);
    expect(amount(a, 'BBB', '7(b)')).toBe(2500n);
    expect(amount(a, 'CCC', '7(b)')).toBe(2500n);
    expect(a.categories[0]!.statesAtMax).toEqual(['AAA']);
    expect(a.categories[0]!.statesAtMin).toEqual([]);
    expect(row(a, 'AAA').exactCentimes.get('7(b)')!.eq(5000)).toBe(true);
  });

  it('a ceiling and a floor, both binding, over three rounds', () => {
    // total 10000 centimes, maxShare 0.4 (4000), minShare 0.1 (1000); rates 12, 4, 2, 1, 1 (sum 20)
    // round 1: 6000, 2000, 1000, 500, 500 → excess 2000 > deficit 1000 → AAA fixed at 4000
    // round 2: 6000 over rates 4, 2, 1, 1 → 3000, 1500, 750, 750 → DDD, EEE fixed at 1000
    // round 3: 4000 over rates 4, 2 → 2666.67, 1333.33 (within bounds)
    // rounding: floors 4000 + 2666 + 1333 + 1000 + 1000 = 9999; the centime goes to BBB (.67)
    const a = computeAssessment(
      input(10000n, [{ code: '7(b)', label: 'Scale', share: d('1'), method: 'scale', maxShare: d('0.4'), minShare: d('0.1') }], [
        state('EEE', '1'),
        state('DDD', '1'),
        state('CCC', '2'),
        state('BBB', '4'),
        state('AAA', '12'),
      ]),
    );
    expect(a.rows.map((r) => [r.iso3, r.totalCentimes])).toEqual([
      ['AAA', 4000n],
      ['BBB', 2667n],
      ['CCC', 1333n],
      ['DDD', 1000n],
      ['EEE', 1000n],
    ]);
    expect(a.categories[0]!.statesAtMax).toEqual(['AAA']);
    expect(a.categories[0]!.statesAtMin).toEqual(['DDD', 'EEE']);
    expect(row(a, 'BBB').exactCentimes.get('7(b)')!.mul(3).toDecimalPlaces(30).eq(8000)).toBe(true);
    expect(row(a, 'CCC').exactCentimes.get('7(b)')!.mul(3).toDecimalPlaces(30).eq(4000)).toBe(true);
  });

  it('a ceiling and a floor where every State ends at a bound', () => {
    // total 10000, maxShare 0.4, minShare 0.1, rates 10, 5, 1, 0.5: λ = 6000/6.5 puts
    // AAA and BBB above 4000 and CCC, DDD below 1000: 4000 + 4000 + 1000 + 1000 = 10000.
    const a = computeAssessment(
      input(10000n, [{ code: 'S', label: 'Scale', share: d('1'), method: 'scale', maxShare: d('0.4'), minShare: d('0.1') }], [
        state('AAA', '10'),
        state('BBB', '5'),
        state('CCC', '1'),
        state('DDD', '0.5'),
      ]),
    );
    expect(a.rows.map((r) => r.totalCentimes)).toEqual([4000n, 4000n, 1000n, 1000n]);
  });

  it('the last category takes the remainder; the others round half to even', () => {
    // 10001 × 0.5 = 5000.5 → 5000 (even), the last gets 5001
    const a = computeAssessment(
      input(
        10001n,
        [
          { code: 'A', label: 'A', share: d('0.5'), method: 'equal' },
          { code: 'B', label: 'B', share: d('0.5'), method: 'equal' },
        ],
        [state('AAA', null), state('BBB', null)],
      ),
    );
    expect(catTotal(a, 'A')).toBe(5000n);
    expect(catTotal(a, 'B')).toBe(5001n);
    expect(a.rows.map((r) => r.totalCentimes)).toEqual([5001n, 5000n]);
    // no scale category: rates are not needed
    expect(row(a, 'AAA').rateSource).toBeNull();
    expect(row(a, 'AAA').rebasedRate).toBeNull();
  });

  it('the category order decides who takes the remainder (scale first, equal last)', () => {
    // 5 centimes: 7(b) 0.7 → 3.5 → 4 (even); 7(a) gets 1
    const a = computeAssessment(
      input(
        5n,
        [
          { code: '7(b)', label: 'Scale', share: d('0.7'), method: 'scale' },
          { code: '7(a)', label: 'Equal', share: d('0.3'), method: 'equal' },
        ],
        [state('AAA', '1'), state('BBB', '3')],
      ),
    );
    expect(catTotal(a, '7(b)')).toBe(4n);
    expect(catTotal(a, '7(a)')).toBe(1n);
    expect(amount(a, 'AAA', '7(b)')).toBe(1n);
    expect(amount(a, 'BBB', '7(b)')).toBe(3n);
    expect(amount(a, 'AAA', '7(a)')).toBe(1n);
    expect(amount(a, 'BBB', '7(a)')).toBe(0n);
  });

  it('a zero budget assesses zero everywhere', () => {
    const a = computeAssessment(
      input(
        0n,
        [
          { code: '7(a)', label: 'Equal', share: d('0.3'), method: 'equal' },
          { code: '7(b)', label: 'Scale', share: d('0.7'), method: 'scale', maxShare: d('0.5'), minShare: d('0.2') },
        ],
        [state('AAA', '8'), state('BBB', '1'), state('CCC', '1')],
      ),
    );
    expect(a.rows.every((r) => r.totalCentimes === 0n)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------

describe('computeAssessment — errors', () => {
  const scheme7 = (): CategorySpec[] => [
    { code: '7(a)', label: 'Equal', share: d('0.4'), method: 'equal' },
    { code: '7(b)', label: 'Scale', share: d('0.6'), method: 'scale' },
  ];

  it('a missing rate throws missing-rate naming the State and the scale', () => {
    const e = expectAssessmentError(
      () => computeAssessment(input(10000n, scheme7(), [state('FRA', '4.859'), state('VAT', null)])),
      'missing-rate',
    );
    expect(e.message).toContain('VAT');
    expect(e.message).toContain('UN-2016-2018');
    expect(e.details).toMatchObject({ iso3: 'VAT', scaleCode: 'UN-2016-2018' });
  });

  it('with scheme.missingRate the rate is used and reported', () => {
    const a = computeAssessment(
      input(10000n, scheme7(), [state('FRA', '1'), state('VAT', null), state('COK', null)], { missingRate: d('0.001') }),
    );
    expect(a.missingRateUsedFor).toEqual(['COK', 'VAT']);
    expect(a.missingRate!.eq('0.001')).toBe(true);
    expect(row(a, 'VAT').rateSource).toBe('missingRate');
    expect(row(a, 'VAT').rate!.eq('0.001')).toBe(true);
    expect(row(a, 'FRA').rateSource).toBe('scale');
    // same as giving the rate explicitly
    const b = computeAssessment(input(10000n, scheme7(), [state('FRA', '1'), state('VAT', '0.001'), state('COK', '0.001')]));
    expect(a.rows.map((r) => r.amountsCentimes)).toEqual(b.rows.map((r) => r.amountsCentimes));
  });

  it('shares that do not sum to exactly 1 throw invalid-scheme', () => {
    const bad = (a: string, b: string): CategorySpec[] => [
      { code: '7(a)', label: 'Equal', share: d(a), method: 'equal' },
      { code: '7(b)', label: 'Scale', share: d(b), method: 'scale' },
    ];
    for (const [a, b] of [
      ['0.3', '0.6'],
      ['0.3', '0.7000001'],
      ['0.5', '0.5000000000001'],
      ['0.4', '0.599999'],
    ] as const)
      expectAssessmentError(() => computeAssessment(input(10000n, bad(a, b), [state('AAA', '1')])), 'invalid-scheme');
  });

  it('other invalid schemes throw invalid-scheme', () => {
    const states = [state('AAA', '1'), state('BBB', '2')];
    // no category
    expectAssessmentError(() => computeAssessment(input(100n, [], states)), 'invalid-scheme');
    // duplicate code
    expectAssessmentError(
      () =>
        computeAssessment(
          input(
            100n,
            [
              { code: 'X', label: 'X', share: d('0.5'), method: 'equal' },
              { code: 'X', label: 'X', share: d('0.5'), method: 'scale' },
            ],
            states,
          ),
        ),
      'invalid-scheme',
    );
    // bounds on an equal category
    expectAssessmentError(
      () => computeAssessment(input(100n, [{ code: 'E', label: 'E', share: d('1'), method: 'equal', maxShare: d('0.9') }], states)),
      'invalid-scheme',
    );
    // minShare above maxShare
    expectAssessmentError(
      () =>
        computeAssessment(
          input(100n, [{ code: 'S', label: 'S', share: d('1'), method: 'scale', maxShare: d('0.5'), minShare: d('0.6') }], states),
        ),
      'invalid-scheme',
    );
    // negative share
    expectAssessmentError(
      () =>
        computeAssessment(
          input(
            100n,
            [
              { code: 'A', label: 'A', share: d('-0.5'), method: 'equal' },
              { code: 'B', label: 'B', share: d('1.5'), method: 'scale' },
            ],
            states,
          ),
        ),
      'invalid-scheme',
    );
  });

  it('infeasible bounds throw infeasible-bounds', () => {
    const states = [state('AAA', '1'), state('BBB', '2'), state('CCC', '3')];
    // 3 × 0.3 < 1
    expectAssessmentError(
      () => computeAssessment(input(10000n, [{ code: 'S', label: 'S', share: d('1'), method: 'scale', maxShare: d('0.3') }], states)),
      'infeasible-bounds',
    );
    // 3 × 0.34 > 1
    expectAssessmentError(
      () => computeAssessment(input(10000n, [{ code: 'S', label: 'S', share: d('1'), method: 'scale', minShare: d('0.34') }], states)),
      'infeasible-bounds',
    );
  });

  it('no assessed State throws no-assessed-states', () => {
    expectAssessmentError(() => computeAssessment(input(10000n, scheme7(), [])), 'no-assessed-states');
  });

  it('a budget too small for the rounded shares throws negative-category-total rather than assess a negative amount', () => {
    // 3 centimes: 0.5 → 1.5 → 2, 0.5 → 1.5 → 2, the last (share 0) would get −1
    expectAssessmentError(
      () =>
        computeAssessment(
          input(
            3n,
            [
              { code: 'A', label: 'A', share: d('0.5'), method: 'equal' },
              { code: 'B', label: 'B', share: d('0.5'), method: 'equal' },
              { code: 'C', label: 'C', share: d('0'), method: 'equal' },
            ],
            [state('AAA', null)],
          ),
        ),
      'negative-category-total',
    );
  });
});

// ---------------------------------------------------------------------------
// property tests
// ---------------------------------------------------------------------------

interface GenCat {
  code: string;
  shareMicro: bigint;
  method: CategoryMethod;
  maxMicro: bigint | undefined;
  minMicro: bigint | undefined;
}

interface GenState {
  iso3: string;
  rateMilli: number;
}

interface GenCase {
  amount: bigint;
  cats: GenCat[];
  states: GenState[];
  permKeys: number[];
}

const iso3Of = (k: number): string =>
  String.fromCharCode(65 + Math.floor(k / 676), 65 + (Math.floor(k / 26) % 26), 65 + (k % 26));

/** Rates 0.001..25 with up to 3 decimals, in thousandths; biased towards repeated values to produce ties. */
const rateMilliArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 25_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, 1000, 2500, 25_000) },
);

const statesArb: fc.Arbitrary<GenState[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 26 ** 3 - 1 }), { minLength: 1, maxLength: 60 })
  .chain((codes) =>
    fc
      .array(rateMilliArb, { minLength: codes.length, maxLength: codes.length })
      .map((rates) => codes.map((c, i) => ({ iso3: iso3Of(c), rateMilli: rates[i]! }))),
  );

/** maxShare ≥ 1/N, often close to 1/N so that it binds. */
function maxMicroArb(n: number): fc.Arbitrary<bigint> {
  const lo = Math.ceil(1_000_000 / n);
  return fc
    .oneof(fc.integer({ min: lo, max: 1_000_000 }), fc.integer({ min: lo, max: Math.min(1_000_000, lo + Math.ceil(lo / 2)) }))
    .map(BigInt);
}

/** minShare ≤ 1/N (and < 1), often close to 1/N so that it binds. */
function minMicroArb(n: number): fc.Arbitrary<bigint> {
  const hi = Math.min(Math.floor(1_000_000 / n), 999_999);
  return fc.oneof(fc.integer({ min: 0, max: hi }), fc.integer({ min: Math.floor(hi / 2), max: hi })).map(BigInt);
}

function catsArb(n: number): fc.Arbitrary<GenCat[]> {
  const raw = fc.record({
    weight: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1_000_000 })),
    method: fc.constantFrom<CategoryMethod>('equal', 'scale'),
    max: fc.option(maxMicroArb(n), { nil: undefined }),
    min: fc.option(minMicroArb(n), { nil: undefined }),
  });
  return fc.array(raw, { minLength: 1, maxLength: 4 }).map((rs) => {
    const W = rs.reduce((s, r) => s + BigInt(r.weight), 0n);
    let allocated = 0n;
    return rs.map((r, i) => {
      let shareMicro: bigint;
      if (i < rs.length - 1) shareMicro = W === 0n ? 0n : (BigInt(r.weight) * MICRO) / W;
      else shareMicro = MICRO - allocated;
      allocated += shareMicro;
      return {
        code: `C${i}`,
        shareMicro,
        method: r.method,
        maxMicro: r.method === 'scale' ? r.max : undefined,
        minMicro: r.method === 'scale' ? r.min : undefined,
      };
    });
  });
}

const amountArb = fc.oneof(
  fc.bigInt({ min: 0n, max: 100_000_000_000n }), // 0 .. CHF 10^9
  fc.bigInt({ min: 0n, max: 10_000_000n }),
  fc.bigInt({ min: 0n, max: 500n }),
);

const caseArb: fc.Arbitrary<GenCase> = statesArb.chain((states) =>
  fc.record({
    amount: amountArb,
    cats: catsArb(states.length),
    states: fc.constant(states),
    permKeys: fc.array(fc.integer(), { minLength: states.length, maxLength: states.length }),
  }),
);

const microDec = (m: bigint): Decimal => d(m.toString()).div(1_000_000);

function buildInput(g: GenCase, order: 'given' | 'shuffled' = 'given'): AssessmentInput {
  const categories: CategorySpec[] = g.cats.map((c) => ({
    code: c.code,
    label: `Category ${c.code}`,
    share: microDec(c.shareMicro),
    method: c.method,
    ...(c.maxMicro !== undefined ? { maxShare: microDec(c.maxMicro) } : {}),
    ...(c.minMicro !== undefined ? { minShare: microDec(c.minMicro) } : {}),
  }));
  let states = g.states.map((s) => ({ iso3: s.iso3, name: `State ${s.iso3}`, rate: d(String(s.rateMilli)).div(1000) }));
  if (order === 'shuffled') {
    const idx = states.map((_, i) => i).sort((a, b) => g.permKeys[a]! - g.permKeys[b]! || b - a);
    states = idx.map((i) => states[i]!);
  }
  return { year: 2020, amountCentimes: g.amount, scaleCode: 'SC-TEST', scheme: { categories }, states };
}

/** Expected category totals, computed with bigints only. */
function expectedCategoryTotals(g: GenCase): bigint[] {
  const totals: bigint[] = [];
  let allocated = 0n;
  g.cats.forEach((c, i) => {
    const t = i < g.cats.length - 1 ? halfEvenMicro(g.amount, c.shareMicro) : g.amount - allocated;
    allocated += t;
    totals.push(t);
  });
  return totals;
}

const TOL = d('1e-28');
/** a ≤ b up to the 40-digit working precision. */
const leApprox = (a: Decimal, b: Decimal): boolean => a.lte(b.add(b.abs().mul(TOL)).add(TOL));

function checkAssessment(g: GenCase, a: Assessment, expectedTotals: bigint[]): void {
  const n = g.states.length;
  const sortedIso = g.states.map((s) => s.iso3).sort();
  const rateOf = new Map(g.states.map((s) => [s.iso3, s.rateMilli]));

  // rows: one per State, sorted by ISO3
  expect(a.rows.map((r) => r.iso3)).toEqual(sortedIso);

  // category totals: independent half-even, last takes the remainder, sum = budget
  expect(a.categories.map((c) => c.totalCentimes)).toEqual(expectedTotals);
  expect(a.categories.reduce((s, c) => s + c.totalCentimes, 0n)).toBe(g.amount);

  // rows sum to the budget; each row's total is the sum of its categories
  expect(a.rows.reduce((s, r) => s + r.totalCentimes, 0n)).toBe(g.amount);
  expect(a.totalCentimes).toBe(g.amount);
  for (const r of a.rows) {
    let s = 0n;
    for (const c of g.cats) s += r.amountsCentimes.get(c.code)!;
    expect(r.totalCentimes).toBe(s);
  }

  g.cats.forEach((c, ci) => {
    const total = expectedTotals[ci]!;
    const totalDec = d(total.toString());
    const amounts = a.rows.map((r) => r.amountsCentimes.get(c.code)!);
    const exacts = a.rows.map((r) => r.exactCentimes.get(c.code)!);
    const cat = a.categories[ci]!;

    // rows sum exactly to the category total
    expect(amounts.reduce((s, x) => s + x, 0n)).toBe(total);

    // every rounded amount is the floor or the ceiling of the exact amount
    for (let i = 0; i < n; i++) {
      const x = amounts[i]!;
      const e = exacts[i]!;
      const fl = toBig(e.floor());
      const ce = toBig(e.ceil());
      if (x !== fl && x !== ce) throw new Error(`${c.code} ${a.rows[i]!.iso3}: ${x} is neither floor nor ceil of ${e.toFixed()}`);
    }

    if (c.method === 'equal') {
      // exactly: the first (total mod N) States alphabetically pay one centime more
      const q = total / BigInt(n);
      const r = Number(total % BigInt(n));
      expect(amounts).toEqual(a.rows.map((_, i) => (i < r ? q + 1n : q)));
      expect(cat.statesAtMax).toEqual([]);
      expect(cat.statesAtMin).toEqual([]);
      return;
    }

    // scale
    const hi = c.maxMicro !== undefined ? totalDec.mul(microDec(c.maxMicro)) : null;
    const lo = c.minMicro !== undefined ? totalDec.mul(microDec(c.minMicro)) : null;
    const bounded = hi !== null || lo !== null;
    const rates = a.rows.map((r) => rateOf.get(r.iso3)!);

    // bounds: exact amounts never break them; rounded ones are within a centime
    for (let i = 0; i < n; i++) {
      const e = exacts[i]!;
      const x = d(amounts[i]!.toString());
      if (hi) {
        expect(e.lte(hi)).toBe(true);
        expect(x.lt(hi.add(1))).toBe(true);
      }
      if (lo) {
        expect(e.gte(lo)).toBe(true);
        expect(x.gt(lo.sub(1))).toBe(true);
      }
    }

    // the exact amounts sum to the category total (to the working precision)
    const exactSum = exacts.reduce((s, e) => s.add(e), d(0));
    expect(exactSum.sub(totalDec).abs().lte(d('1e-25'))).toBe(true);

    // proportional to the rates: some λ with exact = λ·rate for free States,
    // λ·rate ≥ ceiling for those at the ceiling, λ·rate ≤ floor for those at the floor
    const atMax = new Set(cat.statesAtMax);
    const atMin = new Set(cat.statesAtMin);
    if (!hi) expect(atMax.size).toBe(0);
    if (!lo) expect(atMin.size).toBe(0);
    let lower: Decimal | null = null; // max of the lower bounds of λ
    let upper: Decimal | null = null; // min of the upper bounds of λ
    for (let i = 0; i < n; i++) {
      const iso = a.rows[i]!.iso3;
      const rate = d(String(rates[i]!)).div(1000);
      const e = exacts[i]!;
      expect(atMax.has(iso) && atMin.has(iso)).toBe(false);
      if (atMax.has(iso)) {
        expect(e.eq(hi!)).toBe(true);
        const l = hi!.div(rate);
        if (lower === null || l.gt(lower)) lower = l;
      } else if (atMin.has(iso)) {
        expect(e.eq(lo!)).toBe(true);
        const u = lo!.div(rate);
        if (upper === null || u.lt(upper)) upper = u;
      } else {
        const lambda = e.div(rate);
        if (lower === null || lambda.gt(lower)) lower = lambda;
        if (upper === null || lambda.lt(upper)) upper = lambda;
      }
    }
    if (lower !== null && upper !== null) expect(leApprox(lower, upper)).toBe(true);

    // monotone in the rate
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const ri = rates[i]!;
        const rj = rates[j]!;
        const xi = amounts[i]!;
        const xj = amounts[j]!;
        if (ri === rj) {
          // same rate: same exact share; the tie centime goes to the alphabetically first (i < j)
          expect(exacts[i]!.eq(exacts[j]!)).toBe(true);
          if (i < j) expect(xi - xj === 0n || xi - xj === 1n).toBe(true);
        } else if (ri > rj) {
          expect(exacts[i]!.gte(exacts[j]!)).toBe(true);
          if (xi < xj) {
            // only allowed with bounds, both at the same bound: j is alphabetically first and got the tie centime
            const ok = bounded && exacts[i]!.eq(exacts[j]!) && xj === xi + 1n && j < i;
            if (!ok)
              throw new Error(
                `${c.code}: ${a.rows[i]!.iso3} (rate ${ri}) pays ${xi} < ${a.rows[j]!.iso3} (rate ${rj}) pays ${xj}` +
                  ` exact ${exacts[i]!.toFixed()} vs ${exacts[j]!.toFixed()}`,
              );
          }
        }
      }
    }
  });
}

describe('computeAssessment — properties', () => {
  it('sums, rounding, bounds, proportionality, monotonicity and determinism on random budgets, schemes and States', () => {
    fc.assert(
      fc.property(caseArb, (g) => {
        const expectedTotals = expectedCategoryTotals(g);
        const inp = buildInput(g);
        if (expectedTotals.some((t) => t < 0n)) {
          // only possible for a budget of a few centimes with a last share near 0
          expectAssessmentError(() => computeAssessment(inp), 'negative-category-total');
          return;
        }
        const a = computeAssessment(inp);
        checkAssessment(g, a, expectedTotals);
        // deterministic: same input, and the same States in another order, give a deep-equal result
        expect(computeAssessment(buildInput(g))).toEqual(a);
        expect(computeAssessment(buildInput(g, 'shuffled'))).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('equal-only and scale-only schemes with no bounds at all', () => {
    const arb = statesArb.chain((states) =>
      fc.record({
        amount: amountArb,
        method: fc.constantFrom<CategoryMethod>('equal', 'scale'),
        states: fc.constant(states),
      }),
    );
    fc.assert(
      fc.property(arb, ({ amount: amt, method, states }) => {
        const g: GenCase = {
          amount: amt,
          cats: [{ code: 'ONLY', shareMicro: MICRO, method, maxMicro: undefined, minMicro: undefined }],
          states,
          permKeys: states.map((_, i) => i),
        };
        const a = computeAssessment(buildInput(g));
        checkAssessment(g, a, [amt]);
        if (method === 'scale') {
          // exact = total × rate / Σ rates
          const sum = states.reduce((s, x) => s + x.rateMilli, 0);
          for (const r of a.rows) {
            const expected = d(amt.toString()).mul(rateOf(states, r.iso3)).div(String(sum));
            expect(r.exactCentimes.get('ONLY')!.sub(expected).abs().lte(d('1e-25'))).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('missing rates: an error naming the first State without a rate, or missingRate used and reported', () => {
    const arb = caseArb.chain((g) =>
      fc.record({
        g: fc.constant(g),
        missing: fc.array(fc.boolean(), { minLength: g.states.length, maxLength: g.states.length }),
        missingMilli: fc.option(fc.integer({ min: 1, max: 25_000 }), { nil: undefined }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ g, missing, missingMilli }) => {
        const usesScale = g.cats.some((c) => c.method === 'scale');
        fc.pre(usesScale && missing.some(Boolean) && !expectedCategoryTotals(g).some((t) => t < 0n));
        const inp = buildInput(g);
        inp.states = inp.states.map((s, i) => (missing[i] ? { ...s, rate: null } : s));
        const missingIso = g.states.filter((_, i) => missing[i]).map((s) => s.iso3).sort();
        if (missingMilli === undefined) {
          const e = expectAssessmentError(() => computeAssessment(inp), 'missing-rate');
          expect(e.message).toContain(missingIso[0]!);
          expect(e.message).toContain('SC-TEST');
          return;
        }
        inp.scheme.missingRate = d(String(missingMilli)).div(1000);
        const a = computeAssessment(inp);
        expect(a.missingRateUsedFor).toEqual(missingIso);
        expect(a.missingRate!.eq(inp.scheme.missingRate)).toBe(true);
        for (const r of a.rows) expect(r.rateSource).toBe(missingIso.includes(r.iso3) ? 'missingRate' : 'scale');
        // identical amounts to a scale that had missingRate for those States
        const g2: GenCase = {
          ...g,
          states: g.states.map((s, i) => (missing[i] ? { ...s, rateMilli: missingMilli } : s)),
        };
        const b = computeAssessment(buildInput(g2));
        expect(a.rows.map((r) => r.amountsCentimes)).toEqual(b.rows.map((r) => r.amountsCentimes));
        checkAssessment(g2, a, expectedCategoryTotals(g2));
      }),
      { numRuns: 200 },
    );
  });
});

function rateOf(states: GenState[], iso3: string): Decimal {
  const s = states.find((x) => x.iso3 === iso3);
  if (!s) throw new Error(`no State ${iso3}`);
  return d(String(s.rateMilli));
}
