/**
 * The cash-flow outlook (SPEC 2.7 and issue 12): the first shortfall is looked
 * for from the as-of month on; a proposed restoration never makes a later
 * month of the year (nor next January's plan) uncovered; a month that is
 * over (as of its last day) is actual.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectCashflow, type MonthActuals, type Outlook, type OutlookMonth } from '../../src/domain/cashflow.js';

// ---------------------------------------------------------------- builders

type Month = { receipts?: bigint; spending?: bigint; movements?: bigint };

/** Twelve months of actuals; months not given are all zero. */
function actuals(byMonth: Record<number, Month> = {}): MonthActuals[] {
  return Array.from({ length: 12 }, (_, i) => ({
    receiptsCentimes: byMonth[i]?.receipts ?? 0n,
    spendingCentimes: byMonth[i]?.spending ?? 0n,
    reserveMovementsCentimes: byMonth[i]?.movements ?? 0n,
  }));
}

/** The same actuals in every month. */
const everyMonth = (m: Month) => actuals(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i, m])));

const flatPlan = (c: bigint) => Array.from({ length: 12 }, () => c);

interface Scenario {
  opening?: bigint;
  actuals?: MonthActuals[];
  plan?: bigint[];
  asOf: number;
  /** The as-of date is the last day of its month. */
  complete?: boolean;
  owed?: bigint;
  nextJan?: bigint;
}

function outlook(s: Scenario): Outlook {
  return projectCashflow({
    openingCentimes: s.opening ?? 0n,
    actuals: s.actuals ?? actuals(),
    plan: s.plan ?? flatPlan(0n),
    asOfIndex: s.asOf,
    ...(s.complete === undefined ? {} : { asOfMonthComplete: s.complete }),
    outstandingDrawdownsCentimes: s.owed ?? 0n,
    ...(s.nextJan === undefined ? {} : { nextYearFirstPlanCentimes: s.nextJan }),
  });
}

const closings = (o: Outlook) => o.months.map((m) => m.closingCentimes);
const bases = (o: Outlook) => o.months.map((m) => m.basis);

function month(index: number, basis: OutlookMonth['basis'], opening: bigint, receipts: bigint, planned: bigint, actualSpending: bigint, movements: bigint, closing: bigint): OutlookMonth {
  return {
    index,
    basis,
    openingCentimes: opening,
    receiptsCentimes: receipts,
    plannedCentimes: planned,
    actualSpendingCentimes: actualSpending,
    reserveMovementsCentimes: movements,
    closingCentimes: closing,
  };
}

// ---------------------------------------------------------------- months

describe('projectCashflow: the months', () => {
  it('always gives the twelve months in order, each opening with the previous closing', () => {
    for (const asOf of [-1, 0, 5, 11, 12]) {
      const o = outlook({ opening: 5_000n, actuals: everyMonth({ receipts: 70n, spending: 40n, movements: -5n }), plan: flatPlan(30n), asOf });
      expect(o.months.map((m) => m.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(o.months[0]!.openingCentimes).toBe(5_000n);
      for (let i = 1; i < 12; i++) expect(o.months[i]!.openingCentimes).toBe(o.months[i - 1]!.closingCentimes);
    }
  });

  it('labels the months before the as-of month actual and the others projected', () => {
    const A = 'actual';
    const P = 'projected';
    expect(bases(outlook({ asOf: -1 }))).toEqual(Array(12).fill(P));
    expect(bases(outlook({ asOf: 0 }))).toEqual(Array(12).fill(P));
    expect(bases(outlook({ asOf: 5 }))).toEqual([A, A, A, A, A, P, P, P, P, P, P, P]);
    // As of a day of December before the 31st, December is projected; as of 31 December it is actual.
    expect(bases(outlook({ asOf: 11 }))).toEqual([...Array(11).fill(A), P]);
    expect(bases(outlook({ asOf: 11, complete: false }))).toEqual([...Array(11).fill(A), P]);
    expect(bases(outlook({ asOf: 11, complete: true }))).toEqual(Array(12).fill(A));
    expect(bases(outlook({ asOf: 5, complete: true }))).toEqual([A, A, A, A, A, A, P, P, P, P, P, P]);
    expect(bases(outlook({ asOf: 12 }))).toEqual(Array(12).fill(A));
  });

  it('a month that is over spends what it spent, even below the plan', () => {
    const o = outlook({ opening: 1_000n, actuals: actuals({ 11: { receipts: 40n, spending: 20n } }), plan: flatPlan(100n), asOf: 11, complete: true });
    expect(o.months[11]).toEqual(month(11, 'actual', 1_000n, 40n, 100n, 20n, 0n, 1_020n));
    const open = outlook({ opening: 1_000n, actuals: actuals({ 11: { receipts: 40n, spending: 20n } }), plan: flatPlan(100n), asOf: 11 });
    expect(open.months[11]!.closingCentimes).toBe(940n);
  });

  it('as of June: actual figures before, the as-of month with its receipts, movements and at least the plan, then plan only', () => {
    const o = outlook({
      opening: 10_000n,
      // Actuals are given for every month; those after June must be ignored.
      actuals: actuals({
        0: { receipts: 1_000n, spending: 300n, movements: 50n },
        1: { receipts: 0n, spending: 500n },
        2: { receipts: 2_000n, spending: 100n, movements: -400n },
        3: { spending: 50n },
        4: { receipts: 20n },
        5: { receipts: 600n, spending: 150n, movements: 70n },
        6: { receipts: 9_999n, spending: 9_999n, movements: 9_999n },
        11: { receipts: 1n, spending: 1n, movements: 1n },
      }),
      plan: flatPlan(200n),
      asOf: 5,
    });
    expect(o.months).toEqual([
      month(0, 'actual', 10_000n, 1_000n, 200n, 300n, 50n, 10_750n),
      month(1, 'actual', 10_750n, 0n, 200n, 500n, 0n, 10_250n),
      month(2, 'actual', 10_250n, 2_000n, 200n, 100n, -400n, 11_750n),
      month(3, 'actual', 11_750n, 0n, 200n, 50n, 0n, 11_700n),
      // Actual spending 0 below a plan of 200: an actual month still counts what was spent.
      month(4, 'actual', 11_700n, 20n, 200n, 0n, 0n, 11_720n),
      // As-of month: receipts and reserve movements so far; spending 150 so far but the plan says 200.
      month(5, 'projected', 11_720n, 600n, 200n, 150n, 70n, 12_190n),
      month(6, 'projected', 12_190n, 0n, 200n, 0n, 0n, 11_990n),
      month(7, 'projected', 11_990n, 0n, 200n, 0n, 0n, 11_790n),
      month(8, 'projected', 11_790n, 0n, 200n, 0n, 0n, 11_590n),
      month(9, 'projected', 11_590n, 0n, 200n, 0n, 0n, 11_390n),
      month(10, 'projected', 11_390n, 0n, 200n, 0n, 0n, 11_190n),
      month(11, 'projected', 11_190n, 0n, 200n, 0n, 0n, 10_990n),
    ]);
    expect(o.firstShortfall).toBeNull();
    expect(o.proposedRestoration).toBeNull();
  });

  it('the as-of month takes the actual spending when it already exceeds the plan', () => {
    const o = outlook({ opening: 1_000n, actuals: actuals({ 2: { spending: 350n } }), plan: flatPlan(200n), asOf: 2 });
    expect(o.months[2]).toEqual(month(2, 'projected', 1_000n, 0n, 200n, 350n, 0n, 650n));
    // Just below the plan the plan wins.
    const below = outlook({ opening: 1_000n, actuals: actuals({ 2: { spending: 199n } }), plan: flatPlan(200n), asOf: 2 });
    expect(below.months[2]!.closingCentimes).toBe(800n);
    expect(below.months[2]!.actualSpendingCentimes).toBe(199n);
  });

  it('the as-of month counts its reserve movements (a drawdown this month covers this month)', () => {
    const o = outlook({ opening: 100n, actuals: actuals({ 3: { movements: 500n }, 4: { movements: 800n } }), plan: flatPlan(100n), asOf: 3 });
    // Jan–Mar actual, nothing spent; April: 100 + 500 − 100; later movements are not assumed.
    expect(closings(o)).toEqual([100n, 100n, 100n, 500n, 400n, 300n, 200n, 100n, 0n, -100n, -200n, -300n]);
    expect(o.months[3]!.reserveMovementsCentimes).toBe(500n);
    expect(o.months[4]!.reserveMovementsCentimes).toBe(0n);
  });

  it('as of January: receipts and movements of January count, with at least the plan spent', () => {
    const o = outlook({ opening: 0n, actuals: actuals({ 0: { receipts: 1_000n, spending: 10n, movements: 5n }, 1: { receipts: 1_000n } }), plan: flatPlan(100n), asOf: 0 });
    expect(o.months[0]).toEqual(month(0, 'projected', 0n, 1_000n, 100n, 10n, 5n, 905n));
    expect(o.months[1]).toEqual(month(1, 'projected', 905n, 0n, 100n, 0n, 0n, 805n));
  });

  it('a year that has not started (as-of −1) is all plan: no receipts, no movements, no actual spending', () => {
    const o = outlook({ opening: 1_000n, actuals: everyMonth({ receipts: 500n, spending: 7n, movements: 300n }), plan: flatPlan(50n), asOf: -1 });
    expect(o.months[0]).toEqual(month(0, 'projected', 1_000n, 0n, 50n, 0n, 0n, 950n));
    expect(closings(o)).toEqual([950n, 900n, 850n, 800n, 750n, 700n, 650n, 600n, 550n, 500n, 450n, 400n]);
  });

  it('a year that has ended (as-of 12) is all actual: spending below the plan counts as spent', () => {
    const o = outlook({ opening: 1_000n, actuals: everyMonth({ receipts: 30n, spending: 10n, movements: -5n }), plan: flatPlan(50n), asOf: 12 });
    expect(o.months[11]).toEqual(month(11, 'actual', 1_165n, 30n, 50n, 10n, -5n, 1_180n));
    expect(closings(o)).toEqual([1_015n, 1_030n, 1_045n, 1_060n, 1_075n, 1_090n, 1_105n, 1_120n, 1_135n, 1_150n, 1_165n, 1_180n]);
  });

  it('as of December: eleven actual months and December with its receipts and at least the plan', () => {
    const o = outlook({ opening: 0n, actuals: actuals({ 0: { receipts: 1_200n }, 11: { receipts: 40n, spending: 20n } }), plan: flatPlan(100n), asOf: 11 });
    // Nothing spent January–November (actual), then December spends its plan 100.
    expect(closings(o)).toEqual([...Array(11).fill(1_200n), 1_140n]);
  });

  it('months missing from short actuals and plan count as zero', () => {
    const o = projectCashflow({ openingCentimes: 500n, actuals: [{ receiptsCentimes: 100n, spendingCentimes: 20n, reserveMovementsCentimes: 0n }], plan: [50n, 60n], asOfIndex: 3, outstandingDrawdownsCentimes: 0n });
    expect(closings(o)).toEqual([580n, 580n, 580n, 580n, 580n, 580n, 580n, 580n, 580n, 580n, 580n, 580n]);
    expect(o.months[1]!.plannedCentimes).toBe(60n);
    expect(o.months[2]!.plannedCentimes).toBe(0n);
  });
});

// ---------------------------------------------------------------- shortfall

describe('projectCashflow: first shortfall', () => {
  it('flags the first month closing below zero and the drawdown it needs', () => {
    const o = outlook({ opening: 300n, plan: flatPlan(100n), asOf: -1 });
    expect(closings(o).slice(0, 5)).toEqual([200n, 100n, 0n, -100n, -200n]);
    expect(o.firstShortfall).toEqual({ index: 3, shortfallCentimes: 100n });
  });

  it('a month closing at exactly zero is not a shortfall', () => {
    const o = outlook({ opening: 1_200n, plan: flatPlan(100n), asOf: -1 });
    expect(o.months[11]!.closingCentimes).toBe(0n);
    expect(o.firstShortfall).toBeNull();
  });

  it('one centime below zero is a shortfall of one centime', () => {
    const o = outlook({ opening: 1_199n, plan: flatPlan(100n), asOf: -1 });
    expect(o.firstShortfall).toEqual({ index: 11, shortfallCentimes: 1n });
  });

  it('a past month that closed below zero is history: not reported once cash has recovered', () => {
    const o = outlook({ opening: 0n, actuals: actuals({ 1: { spending: 250n }, 2: { receipts: 5_000n } }), plan: flatPlan(100n), asOf: 6 });
    expect(closings(o).slice(0, 3)).toEqual([0n, -250n, 4_750n]);
    expect(o.firstShortfall).toBeNull();
  });

  it('the projected shortfall is reported even when an earlier month was short', () => {
    // February closed at −250 (past); from June on, 500 a month is planned against 4,350 left: November closes at −150.
    const o = outlook({ opening: 0n, actuals: actuals({ 1: { spending: 250n }, 2: { receipts: 5_000n } }), plan: [0n, 0n, 0n, 0n, 0n, 400n, 500n, 500n, 500n, 500n, 500n, 500n], asOf: 5 });
    expect(closings(o)).toEqual([0n, -250n, 4_750n, 4_750n, 4_750n, 4_350n, 3_850n, 3_350n, 2_850n, 2_350n, 1_850n, 1_350n]);
    expect(o.firstShortfall).toBeNull();
    const tighter = outlook({ opening: 0n, actuals: actuals({ 1: { spending: 250n }, 2: { receipts: 2_000n } }), plan: [0n, 0n, 0n, 0n, 0n, 400n, 500n, 500n, 500n, 500n, 500n, 500n], asOf: 5 });
    expect(closings(tighter).slice(5)).toEqual([1_350n, 850n, 350n, -150n, -650n, -1_150n, -1_650n]);
    expect(tighter.firstShortfall).toEqual({ index: 8, shortfallCentimes: 150n });
  });

  it('the as-of month itself is reported when it closes below zero, complete or not', () => {
    const a = actuals({ 3: { spending: 700n } });
    expect(outlook({ opening: 500n, actuals: a, plan: flatPlan(0n), asOf: 3 }).firstShortfall).toEqual({ index: 3, shortfallCentimes: 200n });
    expect(outlook({ opening: 500n, actuals: a, plan: flatPlan(0n), asOf: 3, complete: true }).firstShortfall).toEqual({ index: 3, shortfallCentimes: 200n });
    // A year that has ended has nothing ahead to warn about.
    expect(outlook({ opening: 500n, actuals: a, plan: flatPlan(0n), asOf: 12 }).firstShortfall).toBeNull();
  });
});

// ---------------------------------------------------------------- restoration

describe('projectCashflow: proposed restoration', () => {
  it('proposes nothing when nothing is owed to the reserve, however much cash there is', () => {
    const o = outlook({ opening: 1_000_000n, plan: flatPlan(100n), asOf: 3, owed: 0n });
    expect(o.proposedRestoration).toBeNull();
  });

  it('proposes in the as-of month what the rest of the year can spare, up to what is owed', () => {
    // As of March with 1,500 in cash and 100 planned in each of March to December: the year needs 1,000, so 500 is spare.
    const base = { opening: 1_500n, plan: flatPlan(100n), asOf: 2 };
    expect(closings(outlook(base)).slice(2)).toEqual([1_400n, 1_300n, 1_200n, 1_100n, 1_000n, 900n, 800n, 700n, 600n, 500n]);
    expect(outlook({ ...base, owed: 300n }).proposedRestoration).toEqual({ index: 2, amountCentimes: 300n });
    expect(outlook({ ...base, owed: 500n }).proposedRestoration).toEqual({ index: 2, amountCentimes: 500n });
    expect(outlook({ ...base, owed: 501n }).proposedRestoration).toEqual({ index: 2, amountCentimes: 500n });
    expect(outlook({ ...base, owed: 5_000n }).proposedRestoration).toEqual({ index: 2, amountCentimes: 500n });
    // With exactly enough for the year, nothing is spare.
    expect(outlook({ ...base, opening: 1_000n, owed: 500n }).proposedRestoration).toBeNull();
  });

  it('never proposes what a later month would then lack (not only the next month)', () => {
    // As of January: January closes at 1,000; February plans 100, March 850: restoring 900 would leave March at −850.
    const o = outlook({ opening: 1_000n, plan: [0n, 100n, 850n, ...Array(9).fill(0n)], asOf: 0, owed: 2_000n });
    expect(closings(o).slice(0, 3)).toEqual([1_000n, 900n, 50n]);
    expect(o.proposedRestoration).toEqual({ index: 0, amountCentimes: 50n });
    // After restoring it, every month of the year still closes at zero or above.
    const after = outlook({ opening: 1_000n - 50n, plan: [0n, 100n, 850n, ...Array(9).fill(0n)], asOf: 0, owed: 0n });
    expect(closings(after).every((c) => c >= 0n)).toBe(true);
  });

  it('looks at the months from the as-of month on, not before it', () => {
    // Cash was 5,000 in February; as of June it is 5,000 − 4,900 = 100, all planned for July.
    const a = actuals({ 1: { receipts: 5_000n }, 5: { spending: 4_900n } });
    const tight = outlook({ opening: 0n, actuals: a, plan: [0n, 0n, 0n, 0n, 0n, 0n, 100n, ...Array(5).fill(0n)], asOf: 5, owed: 1_000n });
    expect(closings(tight).slice(0, 7)).toEqual([0n, 5_000n, 5_000n, 5_000n, 5_000n, 100n, 0n]);
    expect(tight.proposedRestoration).toBeNull();
    // With July's plan at 40, June leaves 60.
    const some = outlook({ opening: 0n, actuals: a, plan: [0n, 0n, 0n, 0n, 0n, 0n, 40n, ...Array(5).fill(0n)], asOf: 5, owed: 1_000n });
    expect(some.proposedRestoration).toEqual({ index: 5, amountCentimes: 60n });
  });

  it('proposes no 0.00 restoration when cash exactly covers the year', () => {
    const o = outlook({ opening: 300n, plan: [100n, 200n, ...Array(10).fill(0n)], asOf: -1, owed: 500n, nextJan: 0n });
    expect(closings(o)).toEqual([200n, ...Array(11).fill(0n)]);
    expect(o.proposedRestoration).toBeNull();
    expect(outlook({ opening: 0n, asOf: 4, owed: 500n }).proposedRestoration).toBeNull();
  });

  it('counts the as-of month’s receipts so far', () => {
    // As of March: March spends 300 of 400 and April plans 100: nothing spare.
    const plan = [0n, 0n, 300n, 100n, ...Array(8).fill(0n)];
    expect(outlook({ opening: 400n, plan, asOf: 2, owed: 500n, nextJan: 0n }).proposedRestoration).toBeNull();
    // With 50 received in March, 50 is spare.
    const more = outlook({ opening: 400n, actuals: actuals({ 2: { receipts: 50n } }), plan, asOf: 2, owed: 500n });
    expect(more.proposedRestoration).toEqual({ index: 2, amountCentimes: 50n });
  });

  it('a year that has not started proposes in January; a year that has ended proposes nothing', () => {
    expect(outlook({ opening: 1_000n, plan: flatPlan(50n), asOf: -1, owed: 5_000n }).proposedRestoration).toEqual({ index: 0, amountCentimes: 400n });
    expect(outlook({ opening: 10_000n, plan: flatPlan(100n), asOf: 12, owed: 500n }).proposedRestoration).toBeNull();
  });

  describe('December leaves next January its plan', () => {
    // As of December: 600 received and 100 planned in December, so December closes at 500.
    const dec = { opening: 0n, actuals: actuals({ 11: { receipts: 600n } }), plan: flatPlan(100n), asOf: 11, owed: 300n };

    it('nothing spare when next January plans all of it', () => {
      const o = outlook({ ...dec, nextJan: 500n });
      expect(o.months[11]!.closingCentimes).toBe(500n);
      expect(o.proposedRestoration).toBeNull();
    });

    it('one centime spare when next January plans one centime less', () => {
      expect(outlook({ ...dec, nextJan: 499n }).proposedRestoration).toEqual({ index: 11, amountCentimes: 1n });
    });

    it('next January without a plan counts as zero (capped at what is owed)', () => {
      expect(outlook({ ...dec }).proposedRestoration).toEqual({ index: 11, amountCentimes: 300n });
    });

    it('next January also limits a restoration proposed earlier in the year', () => {
      // As of October with nothing planned until next January: 1,000 in cash, next January plans 700.
      const o = outlook({ opening: 1_000n, plan: flatPlan(0n), asOf: 9, owed: 5_000n, nextJan: 700n });
      expect(o.proposedRestoration).toEqual({ index: 9, amountCentimes: 300n });
    });
  });
});

// ---------------------------------------------------------------- property

/**
 * Independent model of the outlook: classify each month as past, current or
 * future relative to the as-of month (a complete as-of month is past), take
 * the figures each class uses, then run the balance. The shortfall is the
 * first month from the as-of month on closing below zero. The restoration is
 * tried at each month from the as-of month on: the largest amount that, taken
 * out that month, leaves every closing from then on and December's closing
 * less next January's plan at zero or above (found by running the balance
 * again with the amount taken out).
 */
function model(s: Required<Omit<Scenario, 'nextJan' | 'complete'>> & { nextJan?: bigint; complete?: boolean }): Outlook {
  const kind = (i: number) => (i < s.asOf || (i === s.asOf && s.complete === true) ? 'past' : i === s.asOf ? 'current' : 'future');
  const months: OutlookMonth[] = [];
  let cash = s.opening;
  for (let i = 0; i < 12; i++) {
    const act = s.actuals[i] ?? { receiptsCentimes: 0n, spendingCentimes: 0n, reserveMovementsCentimes: 0n };
    const plan = s.plan[i] ?? 0n;
    const k = kind(i);
    const receipts = k === 'future' ? 0n : act.receiptsCentimes;
    const movements = k === 'future' ? 0n : act.reserveMovementsCentimes;
    const actualSpending = k === 'future' ? 0n : act.spendingCentimes;
    const counted = k === 'past' ? act.spendingCentimes : k === 'future' ? plan : [act.spendingCentimes, plan].reduce((x, y) => (x > y ? x : y));
    const closing = cash + receipts + movements - counted;
    months.push(month(i, k === 'past' ? 'actual' : 'projected', cash, receipts, plan, actualSpending, movements, closing));
    cash = closing;
  }
  const from = s.asOf < 0 ? 0 : s.asOf;
  const negative = months.filter((m) => m.index >= from && m.closingCentimes < 0n);
  /** Would taking `r` out in month `at` keep every month from `at` on, and next January, covered? */
  const fits = (at: number, r: bigint) => months.every((m) => m.index < at || m.closingCentimes - r >= 0n) && months[11]!.closingCentimes - r - (s.nextJan ?? 0n) >= 0n;
  let proposedRestoration: Outlook['proposedRestoration'] = null;
  if (s.owed > 0n)
    for (let at = from; at < 12 && proposedRestoration === null; at++) {
      // The largest r ≤ owed that fits, by bisection over centimes.
      let lo = 0n;
      let hi = s.owed;
      while (lo < hi) {
        const mid = (lo + hi + 1n) / 2n;
        if (fits(at, mid)) lo = mid;
        else hi = mid - 1n;
      }
      if (lo > 0n) proposedRestoration = { index: at, amountCentimes: lo };
    }
  return {
    months,
    firstShortfall: negative.length ? { index: negative[0]!.index, shortfallCentimes: -negative[0]!.closingCentimes } : null,
    proposedRestoration,
  };
}

describe('projectCashflow (property)', () => {
  it('matches the independent model', () => {
    const small = fc.bigInt(0n, 300n);
    const arbMonth = fc.record({ receiptsCentimes: small, spendingCentimes: small, reserveMovementsCentimes: fc.bigInt(-150n, 150n) });
    fc.assert(
      fc.property(
        fc.bigInt(-500n, 1_500n),
        fc.array(arbMonth, { minLength: 10, maxLength: 12 }),
        fc.array(fc.oneof(small, fc.constant(100n)), { minLength: 11, maxLength: 12 }),
        fc.integer({ min: -1, max: 12 }),
        fc.oneof(fc.constant(0n), fc.bigInt(1n, 400n)),
        fc.option(small, { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        (opening, acts, plan, asOf, owed, nextJan, complete) => {
          const s = { opening, actuals: acts, plan, asOf, owed, nextJan, complete };
          expect(outlook(s)).toEqual(model(s));
        },
      ),
      { numRuns: 500 },
    );
  });
});
