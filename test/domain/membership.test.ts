import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONVENTION_ENTRY_INTO_FORCE, defaultMembershipDate, entryIntoForce, isAssessedOn } from '../../src/domain/membership.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function monthLength(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Any valid calendar date from 2000-01-01 to 2100-12-31, built without the date module under test. */
const depositDate = fc
  .record({ year: fc.integer({ min: 2000, max: 2100 }), month: fc.integer({ min: 1, max: 12 }), dayRaw: fc.integer({ min: 1, max: 31 }) })
  .map(({ year, month, dayRaw }) => {
    const day = Math.min(dayRaw, monthLength(year, month));
    return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  });

/** Independent model of Article 17: max(2010-08-01, 1st of the month six months after the month of deposit). */
function expectedEif(deposit: string): string {
  const year = Number(deposit.slice(0, 4));
  const month = Number(deposit.slice(5, 7));
  const index = year * 12 + (month - 1) + 6;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const computed = `${pad(y, 4)}-${pad(m)}-01`;
  return computed < '2010-08-01' ? '2010-08-01' : computed;
}

describe('entryIntoForce (SPEC 2.1, Article 17)', () => {
  it.each([
    ['2017-07-27', '2018-01-01'],
    ['2017-05-20', '2017-11-01'],
    ['2015-03-16', '2015-09-01'],
    ['2008-12-03', '2010-08-01'],
    ['2010-02-28', '2010-08-01'],
    ['2010-02-01', '2010-08-01'],
    ['2010-01-31', '2010-08-01'],
    ['2010-03-01', '2010-09-01'],
    ['2010-03-31', '2010-09-01'],
    ['2017-12-31', '2018-06-01'],
    ['2020-02-29', '2020-08-01'],
  ])('deposit %s enters into force on %s', (deposit, eif) => {
    expect(entryIntoForce(deposit)).toBe(eif);
  });

  it('the Convention itself entered into force on 1 August 2010', () => {
    expect(CONVENTION_ENTRY_INTO_FORCE).toBe('2010-08-01');
  });

  it('rejects a date that is not a calendar date', () => {
    expect(() => entryIntoForce('2017-02-30')).toThrow();
    expect(() => entryIntoForce('27/07/2017')).toThrow();
  });

  it('property: first of a month, ≥ 2010-08-01, strictly after the deposit, equal to the independent model', () => {
    fc.assert(
      fc.property(depositDate, (d) => {
        const eif = entryIntoForce(d);
        expect(eif).toMatch(/^[0-9]{4}-[0-9]{2}-01$/);
        expect(eif >= '2010-08-01').toBe(true);
        expect(eif > d).toBe(true);
        expect(eif).toBe(expectedEif(d));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: monotone (d1 ≤ d2 ⇒ eif(d1) ≤ eif(d2))', () => {
    fc.assert(
      fc.property(depositDate, depositDate, (a, b) => {
        const [d1, d2] = a <= b ? [a, b] : [b, a];
        expect(entryIntoForce(d1) <= entryIntoForce(d2)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isAssessedOn (SPEC 2.1)', () => {
  const date = '2018-01-01';

  it('in force on the date (entry into force on the very date, or before)', () => {
    expect(isAssessedOn({ entryIntoForce: '2018-01-01', withdrawalEffective: null }, date)).toBe(true);
    expect(isAssessedOn({ entryIntoForce: '2010-08-01', withdrawalEffective: null }, date)).toBe(true);
  });

  it('not yet in force on the date', () => {
    expect(isAssessedOn({ entryIntoForce: '2018-01-02', withdrawalEffective: null }, date)).toBe(false);
    expect(isAssessedOn({ entryIntoForce: '2018-02-01', withdrawalEffective: null }, date)).toBe(false);
  });

  it('never in force (no deposit yet)', () => {
    expect(isAssessedOn({ entryIntoForce: null, withdrawalEffective: null }, date)).toBe(false);
  });

  it('withdrawal effective on or before the date', () => {
    expect(isAssessedOn({ entryIntoForce: '2010-08-01', withdrawalEffective: '2018-01-01' }, date)).toBe(false);
    expect(isAssessedOn({ entryIntoForce: '2010-08-01', withdrawalEffective: '2017-06-15' }, date)).toBe(false);
  });

  it('withdrawal effective after the date', () => {
    expect(isAssessedOn({ entryIntoForce: '2010-08-01', withdrawalEffective: '2018-01-02' }, date)).toBe(true);
    expect(isAssessedOn({ entryIntoForce: '2010-08-01', withdrawalEffective: '2019-03-01' }, date)).toBe(true);
  });

  it('property: assessed iff eif ≤ date < withdrawal', () => {
    const optDate = fc.option(depositDate, { nil: null });
    fc.assert(
      fc.property(optDate, optDate, depositDate, (eif, wd, on) => {
        const expected = eif !== null && eif <= on && (wd === null || wd > on);
        expect(isAssessedOn({ entryIntoForce: eif, withdrawalEffective: wd }, on)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('defaultMembershipDate (1 January of the budget year)', () => {
  it.each([
    [2010, '2010-01-01'],
    [2018, '2018-01-01'],
    [2100, '2100-01-01'],
  ])('budget year %i → %s', (year, date) => {
    expect(defaultMembershipDate(year)).toBe(date);
  });

  it('writes the year with 4 digits, as ISO 8601 does', () => {
    expect(defaultMembershipDate(999)).toBe('0999-01-01');
  });

  it('a State whose Convention enters into force on 1 January is assessed for that year, one a day later is not', () => {
    expect(isAssessedOn({ entryIntoForce: '2018-01-01', withdrawalEffective: null }, defaultMembershipDate(2018))).toBe(true);
    expect(isAssessedOn({ entryIntoForce: '2018-01-02', withdrawalEffective: null }, defaultMembershipDate(2018))).toBe(false);
    expect(isAssessedOn({ entryIntoForce: entryIntoForce('2017-07-27'), withdrawalEffective: null }, defaultMembershipDate(2018))).toBe(true);
    expect(isAssessedOn({ entryIntoForce: entryIntoForce('2017-08-01'), withdrawalEffective: null }, defaultMembershipDate(2018))).toBe(false);
  });
});
