import { describe, expect, it } from 'vitest';
import { closingEntry, surplusOf } from '../../src/domain/closing.js';
import { assertBalanced } from '../../src/domain/ledger.js';

describe('surplusOf', () => {
  it('is income (credits) less expenditure (debits)', () => {
    expect(surplusOf([])).toBe(0n);
    expect(surplusOf([{ account: '4100', balanceCentimes: -100_00n }, { account: '5100', balanceCentimes: 60_00n }])).toBe(40_00n);
    expect(surplusOf([{ account: '4100', balanceCentimes: -10_00n }, { account: '5100', balanceCentimes: 25_00n }])).toBe(-15_00n);
  });
});

describe('closingEntry', () => {
  it('zeroes each income and expense account and carries the surplus to the accumulated fund, dated 31 December', () => {
    const e = closingEntry(2017, [
      { account: '4100', balanceCentimes: -100_00n },
      { account: '4200', balanceCentimes: 0n },
      { account: '4300', balanceCentimes: -5n },
      { account: '5100', balanceCentimes: 60_00n },
    ]);
    expect(e).toEqual({
      entryDate: '2017-12-31',
      kind: 'year-close',
      description: 'Closing of 2017: income and expenditure to the accumulated fund',
      refType: 'year',
      refId: '2017',
      postings: [
        { account: '4100', amountCentimes: 100_00n },
        { account: '4300', amountCentimes: 5n },
        { account: '5100', amountCentimes: -60_00n },
        { account: '3200', amountCentimes: -40_05n },
      ],
    });
    expect(() => assertBalanced(e!)).not.toThrow();
  });

  it('a deficit debits the accumulated fund; a year that breaks even posts nothing to it', () => {
    expect(closingEntry(2016, [{ account: '5100', balanceCentimes: 7n }])!.postings).toEqual([
      { account: '5100', amountCentimes: -7n },
      { account: '3200', amountCentimes: 7n },
    ]);
    expect(closingEntry(2016, [{ account: '4100', balanceCentimes: -7n }, { account: '5100', balanceCentimes: 7n }])!.postings).toEqual([
      { account: '4100', amountCentimes: 7n },
      { account: '5100', amountCentimes: -7n },
    ]);
  });

  it('is null when nothing is left to close', () => {
    expect(closingEntry(2016, [])).toBeNull();
    expect(closingEntry(2016, [{ account: '4100', balanceCentimes: 0n }])).toBeNull();
  });
});
