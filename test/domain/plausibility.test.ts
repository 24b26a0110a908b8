import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAmount, checkDateWindow, dateWindow, paymentThreshold } from '../../src/domain/plausibility.js';
import { addDays } from '../../src/domain/dates.js';

const isoDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('finding 13: plausibility limits (domain)', () => {
  it('finding 13: the date window runs from the earliest date to futureDays after today, both ends included', () => {
    expect(dateWindow('2010-01-01', '2026-11-30', 366)).toEqual({ earliest: '2010-01-01', latest: '2027-12-01' });
    expect(dateWindow('2010-01-01', '2024-02-29', 0)).toEqual({ earliest: '2010-01-01', latest: '2024-02-29' });
    const w = { earliest: '2010-01-01', latest: '2027-12-01' };
    expect(checkDateWindow('2009-12-31', w)).toBe('too-early');
    expect(checkDateWindow('2010-01-01', w)).toBe('ok');
    expect(checkDateWindow('2018-06-30', w)).toBe('ok');
    expect(checkDateWindow('2027-12-01', w)).toBe('ok');
    expect(checkDateWindow('2027-12-02', w)).toBe('too-late');
    expect(checkDateWindow('1900-01-01', w)).toBe('too-early');
  });

  it('finding 13: a date is accepted exactly when it lies in the window (property)', () => {
    fc.assert(
      fc.property(isoDate, isoDate, fc.nat(4000), isoDate, (earliest, today, days, date) => {
        const w = dateWindow(earliest, today, days);
        expect(w.latest).toBe(addDays(today, days));
        const verdict = checkDateWindow(date, w);
        if (date < earliest) expect(verdict).toBe('too-early');
        else if (date > w.latest) expect(verdict).toBe('too-late');
        else expect(verdict).toBe('ok');
      }),
    );
  });

  it('finding 13: an amount above the largest is refused even confirmed; above the threshold it needs confirming; limits themselves pass', () => {
    const limits = { largest: 10_000_000_00n, confirmAbove: 590_000_00n };
    expect(checkAmount(590_000_00n, limits, false)).toBe('ok');
    expect(checkAmount(590_000_01n, limits, false)).toBe('needs-confirmation');
    expect(checkAmount(590_000_01n, limits, true)).toBe('ok');
    expect(checkAmount(10_000_000_00n, limits, true)).toBe('ok');
    expect(checkAmount(10_000_000_00n, limits, false)).toBe('needs-confirmation');
    expect(checkAmount(10_000_000_01n, limits, true)).toBe('too-large');
    expect(checkAmount(10_000_000_01n, limits, false)).toBe('too-large');
    expect(checkAmount(999_999_999_999_999n, { largest: 10_000_000_00n, confirmAbove: null }, false)).toBe('too-large');
    expect(checkAmount(10_000_000_00n, { largest: 10_000_000_00n, confirmAbove: null }, false)).toBe('ok');
    expect(checkAmount(1n, limits, false)).toBe('ok');
  });

  it('finding 13: checkAmount agrees with the rule for every amount, threshold and confirmation (property)', () => {
    const c = fc.bigInt(0n, 1_000_000_000_000_000n);
    fc.assert(
      fc.property(c, c, fc.option(c, { nil: null }), fc.boolean(), (amount, largest, confirmAbove, confirmed) => {
        const verdict = checkAmount(amount, { largest, confirmAbove }, confirmed);
        const expected = amount > largest ? 'too-large' : confirmAbove !== null && amount > confirmAbove && !confirmed ? 'needs-confirmation' : 'ok';
        expect(verdict).toBe(expected);
      }),
    );
  });

  it('finding 13: the payment threshold is the setting, else the budget of the year, else none', () => {
    expect(paymentThreshold(1_000_000_00n, 590_000_00n)).toBe(1_000_000_00n);
    expect(paymentThreshold(0n, 590_000_00n)).toBe(0n);
    expect(paymentThreshold(null, 590_000_00n)).toBe(590_000_00n);
    expect(paymentThreshold(null, null)).toBeNull();
  });
});
