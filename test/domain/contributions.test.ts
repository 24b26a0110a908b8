import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyReceivable,
  contributionStatus,
  openingDate,
  receiptYearFigures,
  statusFigures,
  type MoneyEvent,
  type ReceivableMovement,
} from '../../src/domain/contributions.js';

describe('classifyReceivable', () => {
  it('an invoice is invoiced; the credit side of a credit note credited; everything else collected (sign flipped)', () => {
    expect(classifyReceivable('invoice', 1000n)).toEqual({ kind: 'invoiced', amountCentimes: 1000n });
    expect(classifyReceivable('credit-note', -1000n)).toEqual({ kind: 'credited', amountCentimes: 1000n });
    // A credit note's debit side gives back what had been applied: collected goes down.
    expect(classifyReceivable('credit-note', 300n)).toEqual({ kind: 'collected', amountCentimes: -300n });
    expect(classifyReceivable('payment', -700n)).toEqual({ kind: 'collected', amountCentimes: 700n });
    expect(classifyReceivable('credit-application', -5n)).toEqual({ kind: 'collected', amountCentimes: 5n });
    expect(classifyReceivable('payment.reversal', 700n)).toEqual({ kind: 'collected', amountCentimes: -700n });
    // Only the credit side of a credit note is credited: a (never posted) zero amount is not.
    expect(classifyReceivable('credit-note', 0n)).toEqual({ kind: 'collected', amountCentimes: 0n });
  });
});

describe('openingDate', () => {
  it('is 31 December of the year before, or the as-of date when that is earlier', () => {
    expect(openingDate(2018, '2018-12-31')).toBe('2017-12-31');
    expect(openingDate(2018, '2018-01-01')).toBe('2017-12-31');
    expect(openingDate(2018, '2017-12-31')).toBe('2017-12-31');
    expect(openingDate(2018, '2017-12-30')).toBe('2017-12-30');
    expect(openingDate(2018, '2016-05-01')).toBe('2016-05-01');
    expect(openingDate(1000, '2000-01-01')).toBe('0999-12-31');
  });
});

describe('contributionStatus', () => {
  const s = (assessed: bigint, credited: bigint, collected: bigint) => contributionStatus({ assessed, credited, collected, outstanding: assessed - credited - collected });
  it('tells paid, partial, unpaid, credited and not assessed apart at their edges', () => {
    expect(s(0n, 0n, 0n)).toBe('not-assessed');
    expect(s(1000n, 1000n, 0n)).toBe('credited');
    expect(s(1000n, 0n, 1000n)).toBe('paid');
    expect(s(1000n, 400n, 600n)).toBe('paid');
    expect(s(1000n, 0n, 999n)).toBe('partial');
    expect(s(1000n, 0n, 1n)).toBe('partial');
    expect(s(1000n, 0n, 0n)).toBe('unpaid');
    expect(s(1000n, 999n, 0n)).toBe('unpaid');
    // A fully credited invoice whose earlier payment was given back to credit: credited, not paid.
    expect(contributionStatus({ assessed: 1000n, credited: 1000n, collected: 0n, outstanding: 0n })).toBe('credited');
  });
});

const mv = (budgetYear: number, date: string, kind: ReceivableMovement['kind'], amountCentimes: bigint): ReceivableMovement => ({ budgetYear, date, kind, amountCentimes });

describe('statusFigures', () => {
  const base = { year: 2018, receivedCentimes: 0n, inExcessCentimes: 0n, unappliedCreditCentimes: 0n };
  const movements = [
    mv(2016, '2015-10-01', 'invoiced', 50_000n),
    mv(2016, '2016-03-01', 'collected', 10_000n),
    mv(2017, '2016-10-01', 'invoiced', 60_000n),
    mv(2017, '2017-12-31', 'collected', 5_000n), // the last day before the year: still "at start"
    mv(2017, '2018-01-01', 'collected', 20_000n), // the first day of the year: collected in the period
    mv(2016, '2018-02-01', 'credited', 40_000n),
    mv(2017, '2018-04-01', 'invoiced', 1_000n), // a supplementary invoice of 2017 issued in 2018
    mv(2018, '2017-10-01', 'invoiced', 70_000n),
    mv(2018, '2018-05-01', 'collected', 30_000n),
    mv(2018, '2018-06-01', 'credited', 10_000n),
    mv(2018, '2018-07-01', 'collected', -2_000n), // given back to credit
    mv(2019, '2018-10-01', 'invoiced', 80_000n), // a later year: never in the 2018 report
    mv(2018, '2019-01-05', 'collected', 32_000n), // after the as-of date (then nothing is left)
  ];

  it('gives every figure of SPEC 9.1 as of the end of the year', () => {
    const f = statusFigures({ ...base, asOf: '2018-12-31', movements, receivedCentimes: 45_000n, inExcessCentimes: 3_000n, unappliedCreditCentimes: 7_000n });
    expect(f).toEqual({
      priorAtStart: 50_000n - 10_000n + 60_000n - 5_000n + 1_000n,
      priorCollected: 20_000n,
      priorCredited: 40_000n,
      priorOutstanding: 96_000n - 20_000n - 40_000n,
      assessed: 70_000n,
      credited: 10_000n,
      collected: 28_000n,
      outstanding: 32_000n,
      received: 45_000n,
      inExcess: 3_000n,
      unappliedCredit: 7_000n,
      status: 'partial',
    });
  });

  it('as of a date before the year, everything up to that date is at the start and nothing is in the period', () => {
    const f = statusFigures({ ...base, asOf: '2017-12-31', movements });
    expect(f).toMatchObject({ priorAtStart: 95_000n, priorCollected: 0n, priorCredited: 0n, assessed: 70_000n, collected: 0n, status: 'unpaid' });
    const g = statusFigures({ ...base, asOf: '2017-10-01', movements });
    expect(g).toMatchObject({ priorAtStart: 100_000n, assessed: 70_000n, outstanding: 70_000n });
    expect(statusFigures({ ...base, asOf: '2017-09-30', movements }).assessed).toBe(0n);
  });

  it('counts a movement on the as-of date and ignores the day after', () => {
    expect(statusFigures({ ...base, asOf: '2018-05-01', movements }).collected).toBe(30_000n);
    expect(statusFigures({ ...base, asOf: '2018-04-30', movements }).collected).toBe(0n);
    expect(statusFigures({ ...base, asOf: '2019-01-05', movements }).status).toBe('paid');
  });

  it('refuses money in excess below zero or above the money received', () => {
    expect(() => statusFigures({ ...base, asOf: '2018-12-31', movements, receivedCentimes: 100n, inExcessCentimes: 101n })).toThrow(/between zero and the money received/);
    expect(() => statusFigures({ ...base, asOf: '2018-12-31', movements, receivedCentimes: 100n, inExcessCentimes: -1n })).toThrow(/between zero/);
    expect(statusFigures({ ...base, asOf: '2018-12-31', movements, receivedCentimes: 100n, inExcessCentimes: 100n }).inExcess).toBe(100n);
    expect(statusFigures({ ...base, asOf: '2018-12-31', movements, receivedCentimes: 100n, inExcessCentimes: 0n }).inExcess).toBe(0n);
  });

  it('property: equals a direct model and reconciles, for random movements and dates', () => {
    const date = fc.integer({ min: 0, max: 4 * 12 - 1 }).map((m) => `${2015 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-${m % 2 ? '01' : '28'}`);
    const movement = fc.record({
      budgetYear: fc.integer({ min: 2015, max: 2019 }),
      date,
      kind: fc.constantFrom<ReceivableMovement['kind']>('invoiced', 'credited', 'collected'),
      amountCentimes: fc.bigInt(-1000n, 100_000n),
    });
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 25 }), date, fc.integer({ min: 2016, max: 2018 }), (ms, asOf, year) => {
        const f = statusFigures({ year, asOf, movements: ms, receivedCentimes: 0n, inExcessCentimes: 0n, unappliedCreditCentimes: 0n });
        // The model: filter and sum, written out for each figure.
        const start = `${year - 1}-12-31` < asOf ? `${year - 1}-12-31` : asOf;
        const upTo = ms.filter((m) => m.date <= asOf);
        const sum = (xs: ReceivableMovement[]) => xs.reduce((a, m) => a + m.amountCentimes, 0n);
        const prior = upTo.filter((m) => m.budgetYear < year);
        const atStart =
          sum(prior.filter((m) => m.kind === 'invoiced')) - sum(prior.filter((m) => m.kind !== 'invoiced' && m.date <= start));
        const own = upTo.filter((m) => m.budgetYear === year);
        expect(f.priorAtStart).toBe(atStart);
        expect(f.priorCollected).toBe(sum(prior.filter((m) => m.kind === 'collected' && m.date > start)));
        expect(f.priorCredited).toBe(sum(prior.filter((m) => m.kind === 'credited' && m.date > start)));
        expect(f.assessed).toBe(sum(own.filter((m) => m.kind === 'invoiced')));
        expect(f.credited).toBe(sum(own.filter((m) => m.kind === 'credited')));
        expect(f.collected).toBe(sum(own.filter((m) => m.kind === 'collected')));
        expect(f.priorOutstanding + f.outstanding).toBe(sum(upTo.filter((m) => m.budgetYear <= year).map((m) => ({ ...m, amountCentimes: m.kind === 'invoiced' ? m.amountCentimes : -m.amountCentimes }))));
        expect(f.priorAtStart + f.assessed).toBe(f.priorCollected + f.priorCredited + f.priorOutstanding + f.credited + f.collected + f.outstanding);
      }),
      { numRuns: 300 },
    );
  });
});

describe('receiptYearFigures: each franc counted in the year it was received, once', () => {
  const received = (date: string, paymentId: number, amountCentimes: bigint, applicable = true, settledCentimes = 0n): MoneyEvent => ({
    type: 'received',
    date,
    paymentId,
    amountCentimes,
    applicable,
    settledCentimes,
  });
  const applied = (date: string, paymentId: number | null, line: string, amountCentimes: bigint): MoneyEvent => ({ type: 'applied', date, paymentId, line, amountCentimes });
  const released = (date: string, line: string, amountCentimes: bigint): MoneyEvent => ({ type: 'released', date, line, amountCentimes });
  const reclassified = (date: string, amountCentimes: bigint): MoneyEvent => ({ type: 'reclassified', date, amountCentimes });
  const figures = (events: MoneyEvent[], asOf = '2030-12-31') =>
    Object.fromEntries([...receiptYearFigures(events, asOf)].map(([y, f]) => [y, [f.receivedCentimes, f.appliedCentimes]]));

  it('credit is used oldest first, and a later year never re-counts earlier money', () => {
    const events = [
      received('2016-03-01', 1, 150n),
      applied('2016-03-01', 1, 'A16|7(a)', 100n), // 50 left as credit from 2016
      received('2017-02-01', 2, 100n),
      applied('2017-02-01', 2, 'A17|7(a)', 60n), // 40 left as credit from 2017
      applied('2018-01-15', null, 'A18|7(a)', 70n), // credit: the 50 of 2016 first, then 20 of 2017
    ];
    expect(figures(events)).toEqual({ 2016: [150n, 150n], 2017: [100n, 80n] });
    expect(figures(events, '2017-12-31')).toEqual({ 2016: [150n, 100n], 2017: [100n, 60n] });
    expect(figures(events, '2016-12-31')).toEqual({ 2016: [150n, 100n] });
  });

  it('voluntary and reserve money is received but never applied; reclassified credit stays in excess of its own year', () => {
    const events = [
      received('2016-01-10', 1, 500n, false),
      received('2016-05-01', 2, 300n),
      applied('2016-05-01', 2, 'A16|7(b)', 200n),
      reclassified('2016-09-01', 100n), // the 2016 credit becomes voluntary: still 2016's excess
      received('2017-03-01', 3, 100n),
      applied('2017-03-01', 3, 'A17|7(a)', 100n),
    ];
    expect(figures(events)).toEqual({ 2016: [800n, 200n], 2017: [100n, 100n] });
    // With no 2016 credit left, a credit application would be beyond the money held.
    expect(() => receiptYearFigures([...events, applied('2017-06-01', null, 'A17|7(b)', 1n)], '2030-12-31')).toThrow(/credit applied beyond the money available/);
  });

  it('a release gives back the latest money applied to the line, which becomes credit of its own year again', () => {
    const events = [
      received('2016-03-01', 1, 100n),
      applied('2016-03-01', 1, 'A17|7(a)', 100n),
      received('2017-03-01', 2, 100n),
      applied('2017-03-01', 2, 'A17|7(a)', 50n),
      applied('2017-03-01', 2, 'B17|7(a)', 50n),
      released('2017-06-01', 'A17|7(a)', 120n), // cancellation: the 50 of 2017 first, then 70 of 2016
    ];
    expect(figures(events)).toEqual({ 2016: [100n, 30n], 2017: [100n, 50n] });
    // The released money is credit again, used oldest first: the 70 of 2016, then 10 of 2017.
    expect(figures([...events, applied('2018-01-01', null, 'C18|7(a)', 80n)])).toEqual({ 2016: [100n, 100n], 2017: [100n, 60n] });
    expect(() => receiptYearFigures([...events, released('2017-07-01', 'A17|7(a)', 31n)], '2030-12-31')).toThrow(/released more than was applied/);
    expect(() => receiptYearFigures([released('2017-07-01', 'Z|7(a)', 1n)], '2030-12-31')).toThrow(/released more than was applied/);
  });

  it('orders credit by the date the money was received, not by the order it was recorded (a backdated payment)', () => {
    // Payment 9 was recorded after payment 4 but is dated earlier (2016): its money is the older credit.
    const events = [
      received('2017-02-01', 4, 100n),
      received('2016-06-01', 9, 100n),
      applied('2017-03-01', null, 'A|7(a)', 100n),
    ];
    expect(figures(events)).toEqual({ 2016: [100n, 100n], 2017: [100n, 0n] });
    // Released and applied again, it is still the 2016 money that goes first.
    expect(figures([...events, released('2017-04-01', 'A|7(a)', 100n), applied('2017-05-01', null, 'B|7(a)', 60n)])).toEqual({ 2016: [100n, 60n], 2017: [100n, 0n] });
  });

  it('money settled on arrival (lines never given back) counts as applied in its year and never enters the credit', () => {
    // 100 received in 2016, 70 settled at once: only 30 is credit, which a 2017 application uses.
    const events = [received('2016-03-01', 1, 100n, true, 70n), applied('2017-01-10', null, 'B|7(a)', 30n)];
    expect(figures(events, '2016-12-31')).toEqual({ 2016: [100n, 70n] });
    expect(figures(events)).toEqual({ 2016: [100n, 100n] });
    // Settled money cannot be taken again: one centime more is beyond the credit held.
    expect(() => receiptYearFigures([...events, applied('2017-02-01', null, 'C|7(a)', 1n)], '2030-12-31')).toThrow(/credit applied beyond/);
    // All of it settled: nothing in the pool; the same as one direct application per line.
    expect(figures([received('2016-03-01', 1, 100n, true, 100n)])).toEqual(figures([received('2016-03-01', 1, 100n), applied('2016-03-01', 1, 'A|7(a)', 100n)]));
    // Never more than it brought, never on money that pays no invoice, never below zero.
    expect(() => receiptYearFigures([received('2016-03-01', 1, 100n, true, 101n)], '2030-12-31')).toThrow(/settled more than it brought/);
    expect(() => receiptYearFigures([received('2016-03-01', 1, 100n, false, 1n)], '2030-12-31')).toThrow(/settled/);
    expect(() => receiptYearFigures([received('2016-03-01', 1, 100n, true, -1n)], '2030-12-31')).toThrow(/settled/);
    expect(figures([received('2016-03-01', 1, 100n, false, 0n)])).toEqual({ 2016: [100n, 0n] });
  });

  const reversed = (date: string, paymentId: number, receivedOn: string, amountCentimes: bigint, reopened: { line: string; amountCentimes: bigint }[] = []): MoneyEvent => ({
    type: 'reversed',
    date,
    paymentId,
    receivedOn,
    amountCentimes,
    reopened,
  });

  it('a reversed payment was never received: its money leaves the lines it reopened and the credit', () => {
    const events = [received('2016-03-01', 1, 150n), applied('2016-03-01', 1, 'A|7(a)', 100n), reversed('2016-04-01', 1, '2016-03-01', 150n, [{ line: 'A|7(a)', amountCentimes: 100n }])];
    expect(figures(events, '2016-03-31')).toEqual({ 2016: [150n, 100n] });
    expect(figures(events)).toEqual({ 2016: [0n, 0n] });
    // Nothing of it is left as credit: applying credit afterwards is beyond what is held.
    expect(() => receiptYearFigures([...events, applied('2016-05-01', null, 'B|7(a)', 1n)], '2030-12-31')).toThrow(/credit applied beyond/);
    // Reversed in a later year: that year loses nothing, the year it came in does.
    const later = [received('2016-03-01', 1, 150n), received('2017-02-01', 2, 80n), reversed('2017-06-01', 1, '2016-03-01', 150n)];
    expect(figures(later)).toEqual({ 2016: [0n, 0n], 2017: [80n, 0n] });
  });

  it('a line the reversed payment had paid through credit stays paid, by the State\'s other credit, oldest first', () => {
    // Payment 1 (2016) left 100 as credit, used on line B; payment 2 (2017) brings 100 of credit. Payment 1 is reversed:
    // line B is not reopened (the ledger took the 100 from credit), so payment 2's money now pays it.
    const events = [
      received('2016-03-01', 1, 100n),
      applied('2016-09-01', null, 'B|7(a)', 100n),
      received('2017-02-01', 2, 100n),
      reversed('2017-03-01', 1, '2016-03-01', 100n),
    ];
    expect(figures(events)).toEqual({ 2016: [0n, 0n], 2017: [100n, 100n] });
    // When the line was reopened instead, nothing refills it.
    const reopenedB = [...events.slice(0, 3), reversed('2017-03-01', 1, '2016-03-01', 100n, [{ line: 'B|7(a)', amountCentimes: 100n }])];
    expect(figures(reopenedB)).toEqual({ 2016: [0n, 0n], 2017: [100n, 0n] });
    // Reopening more than the payment had paid on a line is impossible.
    const tooMuch = [...events.slice(0, 3), reversed('2017-03-01', 1, '2016-03-01', 100n, [{ line: 'B|7(a)', amountCentimes: 101n }])];
    expect(() => receiptYearFigures(tooMuch, '2030-12-31')).toThrow(/reopened more of B\|7\(a\) than it had paid/);
    // Without other credit to refill the line, the ledger would have refused the reversal: so does the replay.
    expect(() => receiptYearFigures([events[0]!, events[1]!, reversed('2016-10-01', 1, '2016-03-01', 100n)], '2030-12-31')).toThrow(/credit applied beyond/);
  });

  it('a reversed payment leaves the other money on its lines where it was, which a later release gives back', () => {
    const events = [
      received('2016-03-01', 1, 100n),
      applied('2016-03-01', 1, 'A|7(a)', 60n), // line A: 60 of payment 1 …
      received('2017-02-01', 2, 100n),
      applied('2017-02-01', 2, 'A|7(a)', 30n), // … then 30 of payment 2
      reversed('2017-06-01', 1, '2016-03-01', 100n, [{ line: 'A|7(a)', amountCentimes: 60n }]),
      released('2017-07-01', 'A|7(a)', 30n), // the invoice cancelled: payment 2's 30 goes back to credit
    ];
    expect(figures(events, '2017-06-30')).toEqual({ 2016: [0n, 0n], 2017: [100n, 30n] });
    expect(figures(events)).toEqual({ 2016: [0n, 0n], 2017: [100n, 0n] });
    // Payment 2's money is all credit again, and nothing else is: 100 can be applied, not one centime more.
    expect(figures([...events, applied('2017-08-01', null, 'B|7(a)', 100n)])).toEqual({ 2016: [0n, 0n], 2017: [100n, 100n] });
    expect(() => receiptYearFigures([...events, applied('2017-08-01', null, 'B|7(a)', 101n)], '2030-12-31')).toThrow(/credit applied beyond/);
  });

  it('a reversed payment whose credit paid a line leaves that line to the other money, even when released later', () => {
    const events = [
      received('2016-03-01', 1, 100n), // all credit
      received('2017-02-01', 2, 100n),
      applied('2017-02-01', 2, 'A|7(a)', 30n), // line A: 30 of payment 2 …
      applied('2017-03-01', null, 'A|7(a)', 60n), // … then 60 of credit: payment 1's, the oldest
      reversed('2017-06-01', 1, '2016-03-01', 100n), // the ledger takes its 100 from credit: line A stays paid, now by payment 2
      released('2017-07-01', 'A|7(a)', 90n), // the invoice cancelled: all 90 back to credit, all of it payment 2's
    ];
    expect(figures(events, '2017-06-30')).toEqual({ 2016: [0n, 0n], 2017: [100n, 90n] });
    expect(figures(events)).toEqual({ 2016: [0n, 0n], 2017: [100n, 0n] });
  });

  it('a reversed voluntary payment was never received either', () => {
    expect(figures([received('2016-03-01', 1, 500n, false), reversed('2016-03-02', 1, '2016-03-01', 500n)])).toEqual({ 2016: [0n, 0n] });
    expect(figures([received('2016-03-01', 1, 500n, false), reversed('2016-03-02', 1, '2016-03-01', 500n)], '2016-03-01')).toEqual({ 2016: [500n, 0n] });
  });

  it('a payment applies only its own money as it arrives', () => {
    expect(() => receiptYearFigures([received('2016-01-01', 1, 100n), applied('2016-02-01', 2, 'A|x', 1n)], '2030-12-31')).toThrow(/payment 2 applied beyond/);
    expect(() => receiptYearFigures([received('2016-01-01', 1, 100n), applied('2016-01-01', 1, 'A|x', 101n)], '2030-12-31')).toThrow(/payment 1 applied beyond/);
    expect(() => receiptYearFigures([received('2016-01-01', 1, 0n)], '2030-12-31')).toThrow(/positive amount/);
    expect(figures([received('2016-01-01', 1, 100n), applied('2016-01-01', 1, 'A|x', 100n)])).toEqual({ 2016: [100n, 100n] });
    expect(figures([received('2016-12-31', 1, 100n)], '2016-12-30')).toEqual({});
  });

  /**
   * The model: every centime is a token that remembers its payment and date.
   * Credit is a list of tokens sorted by date (then payment); a line is a stack.
   */
  function tokenModel(intents: { type: number; amount: number; pick: number }[]) {
    type Token = { paymentId: number; date: string };
    let pool: Token[] = [];
    const lines = new Map<string, Token[]>();
    const receivedBy = new Map<number, bigint>();
    const events: MoneyEvent[] = [];
    let day = 0;
    let nextPayment = 1;
    const dateOf = (d: number) => `${2016 + Math.floor(d / 360)}-${String(Math.floor((d % 360) / 30) + 1).padStart(2, '0')}-${String((d % 30) + 1).padStart(2, '0')}`;
    const sortPool = () => pool.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.paymentId - b.paymentId));
    for (const it of intents) {
      day += 17;
      const date = dateOf(day);
      const lineNames = [...lines.keys()].filter((k) => k !== 'S' && lines.get(k)!.length > 0);
      if (it.type === 0 || pool.length === 0) {
        const id = nextPayment++;
        const applicable = it.pick % 5 !== 0;
        const settle = applicable && it.pick % 7 === 1 ? Math.min(it.amount, 1 + (it.pick % 5)) : 0;
        events.push({ type: 'received', date, paymentId: id, amountCentimes: BigInt(it.amount), applicable, settledCentimes: BigInt(settle) });
        receivedBy.set(Number(date.slice(0, 4)), (receivedBy.get(Number(date.slice(0, 4))) ?? 0n) + BigInt(it.amount));
        if (!applicable) continue;
        const all = Array.from({ length: it.amount }, () => ({ paymentId: id, date }));
        // Settled tokens go to a line that is never released.
        lines.set('S', [...(lines.get('S') ?? []), ...all.slice(0, settle)]);
        const mine = all.slice(settle);
        const direct = it.pick % 3 === 0 || mine.length === 0 ? 0 : Math.min(mine.length, 1 + (it.pick % mine.length));
        const line = `L${it.pick % 4}`;
        if (direct > 0) {
          events.push({ type: 'applied', date, paymentId: id, line, amountCentimes: BigInt(direct) });
          lines.set(line, [...(lines.get(line) ?? []), ...mine.slice(0, direct)]);
        }
        pool.push(...mine.slice(direct));
        sortPool();
      } else if (it.type === 1) {
        const n = Math.min(pool.length, it.amount);
        const line = `L${it.pick % 4}`;
        events.push({ type: 'applied', date, paymentId: null, line, amountCentimes: BigInt(n) });
        lines.set(line, [...(lines.get(line) ?? []), ...pool.slice(0, n)]);
        pool = pool.slice(n);
      } else if (it.type === 2 && lineNames.length > 0) {
        const line = lineNames[it.pick % lineNames.length]!;
        const stack = lines.get(line)!;
        const n = Math.min(stack.length, it.amount);
        events.push({ type: 'released', date, line, amountCentimes: BigInt(n) });
        pool.push(...stack.splice(stack.length - n, n));
        sortPool();
      } else {
        const n = Math.min(pool.length, it.amount);
        events.push({ type: 'reclassified', date, amountCentimes: BigInt(n) });
        pool = pool.slice(n);
      }
    }
    const appliedBy = new Map<number, bigint>();
    for (const stack of lines.values()) for (const t of stack) appliedBy.set(Number(t.date.slice(0, 4)), (appliedBy.get(Number(t.date.slice(0, 4))) ?? 0n) + 1n);
    return { events, receivedBy, appliedBy, lastDate: dateOf(day) };
  }

  it('property: equals a centime-by-centime model; the excess of all years is the money received and not applied', () => {
    const intent = fc.record({ type: fc.integer({ min: 0, max: 3 }), amount: fc.integer({ min: 1, max: 40 }), pick: fc.nat(1000) });
    fc.assert(
      fc.property(fc.array(intent, { minLength: 1, maxLength: 40 }), (intents) => {
        const m = tokenModel(intents);
        const got = receiptYearFigures(m.events, m.lastDate);
        const years = new Set([...m.receivedBy.keys(), ...got.keys()]);
        let excess = 0n;
        for (const y of years) {
          expect(got.get(y)?.receivedCentimes ?? 0n, `received ${y}`).toBe(m.receivedBy.get(y) ?? 0n);
          expect(got.get(y)?.appliedCentimes ?? 0n, `applied ${y}`).toBe(m.appliedBy.get(y) ?? 0n);
          excess += (got.get(y)?.receivedCentimes ?? 0n) - (got.get(y)?.appliedCentimes ?? 0n);
        }
        const totalReceived = [...m.receivedBy.values()].reduce((a, b) => a + b, 0n);
        const totalApplied = [...m.appliedBy.values()].reduce((a, b) => a + b, 0n);
        expect(excess).toBe(totalReceived - totalApplied);
      }),
      { numRuns: 300 },
    );
  });
});
