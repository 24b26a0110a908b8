import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import {
  ISO_DATE_PATTERN,
  addDays,
  daysBetween,
  daysInMonth,
  firstOfMonthAfter,
  formatIsoDate,
  isIsoDate,
  maxDate,
  parseIsoDate,
  todayUtc,
} from '../../src/domain/dates.js';

// ---------------------------------------------------------------------------
// Independent models, written for the tests.
// ---------------------------------------------------------------------------
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Days in a month from the JavaScript calendar: day 0 of the next month is the last day of this one. */
const monthLengthModel = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Day number of a civil date (days since 1970-01-01), by H. Hinnant's days_from_civil algorithm, without Date. */
function dayNumberModel(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The first of the month `k` months after (year, month), counting one month at a time. */
function firstOfMonthAfterModel(year: number, month: number, k: number): string {
  let y = year;
  let m = month;
  for (let i = 0; i < Math.abs(k); i++) {
    if (k > 0) {
      m += 1;
      if (m === 13) [y, m] = [y + 1, 1];
    } else {
      m -= 1;
      if (m === 0) [y, m] = [y - 1, 12];
    }
  }
  return `${pad(y, 4)}-${pad(m)}-01`;
}

/** Any valid date from 1900-01-01 to 2999-12-31, built with the model. */
const validDate = fc
  .record({ year: fc.integer({ min: 1900, max: 2999 }), month: fc.integer({ min: 1, max: 12 }), dayRaw: fc.integer({ min: 1, max: 31 }) })
  .map(({ year, month, dayRaw }) => ({ year, month, day: Math.min(dayRaw, monthLengthModel(year, month)) }));
const text = ({ year, month, day }: { year: number; month: number; day: number }): string => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('todayUtc', () => {
  it('follows the clock across midnight UTC, forwards and backwards', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2018-03-31T23:59:59.999Z'));
    expect(todayUtc()).toBe('2018-03-31');
    vi.setSystemTime(new Date('2018-04-01T00:00:00.000Z'));
    expect(todayUtc()).toBe('2018-04-01');
    vi.setSystemTime(new Date('2017-12-31T12:00:00.000Z'));
    expect(todayUtc()).toBe('2017-12-31');
    vi.setSystemTime(new Date('2017-12-31T00:00:00.000Z'));
    expect(todayUtc()).toBe('2017-12-31');
    vi.setSystemTime(new Date('2017-12-30T23:59:59.999Z'));
    expect(todayUtc()).toBe('2017-12-30');
  });

  it('keeps the day string from the first to the last millisecond of its UTC day, without recomputing it, and no longer', () => {
    vi.useFakeTimers();
    const noon = new Date('2019-06-15T12:00:00.000Z');
    const start = new Date('2019-06-15T00:00:00.000Z');
    const end = new Date('2019-06-15T23:59:59.999Z');
    const nextDay = new Date('2019-06-16T00:00:00.000Z');
    vi.setSystemTime(noon);
    expect(todayUtc()).toBe('2019-06-15');
    // From here on, the day's boundaries are computed (with Date.parse) only when the clock leaves the cached day.
    const parse = vi.spyOn(Date, 'parse');
    for (const instant of [start, noon, end, start]) {
      vi.setSystemTime(instant);
      expect(todayUtc()).toBe('2019-06-15');
    }
    expect(parse).not.toHaveBeenCalled();
    vi.setSystemTime(nextDay);
    expect(todayUtc()).toBe('2019-06-16');
    expect(todayUtc()).toBe('2019-06-16');
    expect(parse).toHaveBeenCalledTimes(1);
    vi.setSystemTime(end);
    expect(todayUtc()).toBe('2019-06-15');
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('gives the UTC date of a given instant', () => {
    expect(todayUtc(new Date('2018-03-31T23:30:00-02:00'))).toBe('2018-04-01');
  });
});

describe('daysInMonth', () => {
  it.each([1900, 1999, 2000, 2016, 2017, 2018, 2019, 2020, 2100, 2400, 2999])('every month of %i', (year) => {
    for (let month = 1; month <= 12; month++) expect(daysInMonth(year, month)).toBe(monthLengthModel(year, month));
  });

  it.each([
    [1900, 28], // divisible by 100, not by 400
    [2000, 29], // divisible by 400
    [2016, 29],
    [2017, 28],
    [2018, 28],
    [2019, 28],
    [2020, 29],
    [2100, 28],
    [2400, 29],
  ])('February %i has %i days', (year, days) => {
    expect(daysInMonth(year, 2)).toBe(days);
  });

  it('30-day and 31-day months', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2017, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  });
});

describe('isIsoDate', () => {
  it.each([
    '1900-01-01', // first year accepted
    '1900-02-28',
    '2000-02-29',
    '2016-02-29',
    '2018-01-01',
    '2018-01-31',
    '2018-04-30',
    '2018-12-01',
    '2018-12-31',
    '2400-02-29',
    '2999-12-31', // last year accepted
  ])('accepts %s', (date) => {
    expect(isIsoDate(date)).toBe(true);
  });

  it.each([
    '1900-02-29', // 1900 is not a leap year
    '2017-02-29',
    '2018-02-29',
    '2100-02-29',
    '2016-02-30',
    '1899-12-31', // year bounds
    '1899-06-15',
    '0000-06-15',
    '3000-01-01',
    '3000-06-15',
    '9999-06-15',
    '2018-00-15', // month bounds
    '2018-13-15',
    '2018-13-01',
    '2018-99-01',
    '2018-01-00', // day bounds
    '2018-01-32',
    '2018-04-31',
    '2018-06-31',
    '2018-09-31',
    '2018-11-31',
    '2018-06-00',
  ])('refuses %s', (date) => {
    expect(isIsoDate(date)).toBe(false);
  });

  it.each(['', '2018-1-01', '2018-01-1', '18-01-01', '2018/01/01', 'x2018-01-01', '2018-01-01x', '12018-01-01', '2018-01-011', ' 2018-01-01', '2018-01-01 ', '2018-01-01\n', '2018-01-01T00:00:00Z'])(
    'refuses the malformed %j',
    (date) => {
      expect(isIsoDate(date)).toBe(false);
      expect(ISO_DATE_PATTERN.test(date)).toBe(false);
    },
  );

  it('property: a well-formed string in 1900–2999 is a date iff month 1–12 and day 1–month length (model from the JS calendar)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1890, max: 3010 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const expected = year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= monthLengthModel(year, month);
        expect(isIsoDate(`${pad(year, 4)}-${pad(month)}-${pad(day)}`)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseIsoDate / formatIsoDate', () => {
  it('parses a valid date into its parts', () => {
    expect(parseIsoDate('2018-03-05')).toEqual({ year: 2018, month: 3, day: 5 });
    expect(parseIsoDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
  });

  it.each(['2018-02-30', '1900-02-29', '2018-13-01', '3000-01-01', '2018-3-5', ''])('throws on %j, naming it', (date) => {
    expect(() => parseIsoDate(date)).toThrow(`not an ISO 8601 calendar date: ${JSON.stringify(date)}`);
  });

  it('pads the year to 4 digits and month and day to 2', () => {
    expect(formatIsoDate({ year: 2018, month: 3, day: 5 })).toBe('2018-03-05');
    expect(formatIsoDate({ year: 2018, month: 12, day: 31 })).toBe('2018-12-31');
    expect(formatIsoDate({ year: 999, month: 1, day: 1 })).toBe('0999-01-01');
    expect(formatIsoDate({ year: 5, month: 10, day: 10 })).toBe('0005-10-10');
  });

  it('property: format and parse are inverse on valid dates', () => {
    fc.assert(
      fc.property(validDate, (parts) => {
        expect(formatIsoDate(parts)).toBe(text(parts));
        expect(parseIsoDate(text(parts))).toEqual(parts);
      }),
      { numRuns: 300 },
    );
  });
});

describe('firstOfMonthAfter', () => {
  it.each([
    ['2018-01-31', 0, '2018-01-01'],
    ['2018-01-15', 1, '2018-02-01'],
    ['2017-12-15', 1, '2018-01-01'],
    ['2017-12-31', 6, '2018-06-01'],
    ['2017-07-27', 6, '2018-01-01'],
    ['2017-06-30', 6, '2017-12-01'],
    ['2018-03-31', 11, '2019-02-01'],
    ['2018-03-31', 12, '2019-03-01'],
    ['2018-12-01', 13, '2020-01-01'],
    ['2000-02-29', 1200, '2100-02-01'],
    ['1900-01-01', 1100 * 12 - 1, '2999-12-01'],
    ['2018-01-15', -1, '2017-12-01'],
    ['2018-03-15', -15, '2016-12-01'],
  ])('%s + %i months → %s', (date, months, expected) => {
    expect(firstOfMonthAfter(date, months)).toBe(expected);
  });

  it('refuses an invalid date', () => {
    expect(() => firstOfMonthAfter('2018-02-30', 1)).toThrow('not an ISO 8601 calendar date: "2018-02-30"');
  });

  it('property: equals counting the months one at a time', () => {
    fc.assert(
      fc.property(validDate, fc.integer({ min: -240, max: 1200 }), (parts, months) => {
        expect(firstOfMonthAfter(text(parts), months)).toBe(firstOfMonthAfterModel(parts.year, parts.month, months));
      }),
      { numRuns: 300 },
    );
  });
});

describe('maxDate', () => {
  it('the later of two dates, in either order, across months and years', () => {
    expect(maxDate('2018-01-01', '2017-12-31')).toBe('2018-01-01');
    expect(maxDate('2017-12-31', '2018-01-01')).toBe('2018-01-01');
    expect(maxDate('2018-02-01', '2018-01-31')).toBe('2018-02-01');
    expect(maxDate('2018-01-31', '2018-02-01')).toBe('2018-02-01');
    expect(maxDate('2010-08-01', '2010-08-01')).toBe('2010-08-01');
  });
});

describe('daysBetween', () => {
  it.each([
    ['2018-01-01', '2018-01-01', 0],
    ['2018-01-31', '2018-02-01', 1],
    ['2018-02-01', '2018-01-31', -1],
    ['2018-02-28', '2018-03-01', 1],
    ['2016-02-28', '2016-03-01', 2],
    ['2017-12-31', '2018-01-01', 1],
    ['2018-01-01', '2019-01-01', 365],
    ['2016-01-01', '2017-01-01', 366],
    ['1900-01-01', '2000-01-01', 36524],
    ['2000-01-01', '2100-01-01', 36525],
    ['2018-03-31', '2018-01-01', -89],
    ['1900-01-01', '2999-12-31', 401766], // 1100 × 365 + 267 leap days − 1
  ])('from %s to %s: %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('refuses an invalid date', () => {
    expect(() => daysBetween('2018-01-01', '2018-02-29')).toThrow('not an ISO 8601 calendar date: "2018-02-29"');
  });

  it('property: equals the difference of day numbers computed without Date', () => {
    fc.assert(
      fc.property(validDate, validDate, (a, b) => {
        const expected = dayNumberModel(b.year, b.month, b.day) - dayNumberModel(a.year, a.month, a.day);
        expect(daysBetween(text(a), text(b))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('addDays', () => {
  it.each([
    ['2018-01-01', 0, '2018-01-01'],
    ['2018-01-31', 1, '2018-02-01'],
    ['2018-02-01', -1, '2018-01-31'],
    ['2018-02-28', 1, '2018-03-01'],
    ['2016-02-28', 1, '2016-02-29'],
    ['2018-12-02', 30, '2019-01-01'],
    ['2019-03-01', -365, '2018-03-01'],
  ])('%s plus %i days: %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('refuses an invalid date', () => {
    expect(() => addDays('2018-02-29', 1)).toThrow('not an ISO 8601 calendar date: "2018-02-29"');
  });

  it('property: daysBetween(d, addDays(d, n)) is n', () => {
    fc.assert(
      fc.property(validDate, fc.integer({ min: -3000, max: 3000 }), (d, n) => {
        const later = addDays(text(d), n);
        fc.pre(isIsoDate(later)); // the system's dates end in 2999
        expect(daysBetween(text(d), later)).toBe(n);
      }),
      { numRuns: 300 },
    );
  });
});
