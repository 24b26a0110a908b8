import { describe, expect, it } from 'vitest';
import { positionTotals, reserveClosing, reserveLineOf } from '../../src/domain/statement.js';

describe('positionTotals', () => {
  it('adds assets, liabilities and net assets and says how far apart they are', () => {
    expect(
      positionTotals({ operatingCash: 100n, reserveCash: 20n, receivables: 3n, unappliedCredit: 7n, reserveFund: 11n, accumulatedFund: 50n, surplusNotClosed: 55n }),
    ).toEqual({ assets: 123n, liabilities: 7n, netAssets: 116n, liabilitiesAndNetAssets: 123n, difference: 0n });
    expect(
      positionTotals({ operatingCash: -5n, reserveCash: 1n, receivables: 2n, unappliedCredit: 1n, reserveFund: 1n, accumulatedFund: -9n, surplusNotClosed: 1n }),
    ).toEqual({ assets: -2n, liabilities: 1n, netAssets: -7n, liabilitiesAndNetAssets: -6n, difference: 4n });
  });
});

describe('reserveClosing', () => {
  it('is opening + contributions + transfers − drawdowns + restorations + other', () => {
    expect(reserveClosing({ opening: 1000n, contributions: 200n, transfers: 30n, drawdowns: 400n, restorations: 5n, other: 1n })).toBe(836n);
  });
});

describe('reserveLineOf', () => {
  it('classifies entries by kind, reversals with what they reverse', () => {
    expect(reserveLineOf('payment')).toBe('contributions');
    expect(reserveLineOf('payment.reversal')).toBe('contributions');
    expect(reserveLineOf('reserve-contribution')).toBe('contributions');
    expect(reserveLineOf('reclassification')).toBe('contributions');
    expect(reserveLineOf('reserve-transfer')).toBe('transfers');
    expect(reserveLineOf('reserve-transfer.reversal')).toBe('transfers');
    expect(reserveLineOf('reserve-drawdown')).toBe('drawdowns');
    expect(reserveLineOf('reserve-restoration')).toBe('restorations');
    expect(reserveLineOf('reserve-restoration.reversal')).toBe('restorations');
    expect(reserveLineOf('other-income')).toBe('other');
    expect(reserveLineOf('x.reversal')).toBe('other');
    expect(reserveLineOf('.reversal')).toBe('other');
    expect(reserveLineOf('payment.reversalx')).toBe('other');
  });
});
