import { describe, expect, it } from 'vitest';
import { MIN_PAYMENT_DAYS, paymentDeadline } from '../../src/domain/deadlines.js';

describe('paymentDeadline', () => {
  it('gives 30 days to pay', () => expect(MIN_PAYMENT_DAYS).toBe(30));

  it.each([
    // Issued long before the cut-off: the budget's cut-off date stands.
    ['2018-03-31', '2017-10-02', '2018-03-31'],
    // Exactly 30 days before: still the cut-off.
    ['2018-03-31', '2018-03-01', '2018-03-31'],
    // 29 days before: 30 days from the issue.
    ['2018-03-31', '2018-03-02', '2018-04-01'],
    // After the cut-off: 30 days from the issue, across a year end.
    ['2018-03-31', '2018-12-15', '2019-01-14'],
  ])('cut-off %s, issued %s: payable by %s', (cutoff, issued, expected) => {
    expect(paymentDeadline(cutoff, issued)).toBe(expected);
  });
});
