import { describe, expect, it } from 'vitest';
import { ACCOUNTS, ACCOUNT_NAMES, UnbalancedEntryError, assertBalanced, reversalOf, type JournalEntryDraft, type PostingDraft } from '../../src/domain/ledger.js';

const entry = (postings: PostingDraft[], extra: Partial<JournalEntryDraft> = {}): JournalEntryDraft => ({
  entryDate: '2018-03-31',
  kind: 'payment',
  description: 'Payment of Austria',
  postings,
  ...extra,
});

/** Runs assertBalanced and returns the error it throws (or null). */
function refusal(e: JournalEntryDraft): Error | null {
  try {
    assertBalanced(e);
    return null;
  } catch (err) {
    return err as Error;
  }
}

describe('chart of accounts', () => {
  it('has the ten accounts with their codes', () => {
    expect(ACCOUNTS).toEqual({
      operatingCash: '1000',
      reserveCash: '1010',
      receivable: '1100',
      unappliedCredit: '2100',
      reserveFund: '3100',
      accumulatedFund: '3200',
      assessedIncome: '4100',
      voluntaryIncome: '4200',
      otherIncome: '4300',
      expenditure: '5100',
    });
  });

  it('names every code exactly once, each with a distinct non-empty name', () => {
    expect(Object.keys(ACCOUNT_NAMES).sort()).toEqual(Object.values(ACCOUNTS).sort());
    const names = Object.values(ACCOUNT_NAMES).map((a) => a.name);
    for (const n of names) expect(n.trim()).not.toBe('');
    expect(new Set(names).size).toBe(names.length);
  });

  it('types each account by the first digit of its code (1 asset, 2 liability, 3 equity, 4 income, 5 expense)', () => {
    const byDigit = { '1': 'asset', '2': 'liability', '3': 'equity', '4': 'income', '5': 'expense' } as const;
    for (const [code, { type }] of Object.entries(ACCOUNT_NAMES)) expect(type).toBe(byDigit[code[0] as keyof typeof byDigit]);
  });

  it('names say what the accounts hold', () => {
    expect(ACCOUNT_NAMES[ACCOUNTS.operatingCash].name).toMatch(/operating cash/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.reserveCash].name).toMatch(/reserve/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.reserveCash].name).toMatch(/cash/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.receivable].name).toMatch(/receivable/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.unappliedCredit].name).toMatch(/unapplied credit/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.reserveFund].name).toMatch(/reserve fund/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.assessedIncome].name).toMatch(/assessed/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.voluntaryIncome].name).toMatch(/voluntary/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.accumulatedFund].name).toMatch(/accumulated fund/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.otherIncome].name).toMatch(/other income/i);
    expect(ACCOUNT_NAMES[ACCOUNTS.expenditure].name).toMatch(/expenditure/i);
  });
});

describe('assertBalanced', () => {
  it('accepts two postings that sum to zero', () => {
    expect(() =>
      assertBalanced(
        entry([
          { account: ACCOUNTS.operatingCash, amountCentimes: 1_000_00n },
          { account: ACCOUNTS.receivable, amountCentimes: -1_000_00n, stateIso3: 'AUT', budgetYear: 2018, category: '7(a)' },
        ]),
      ),
    ).not.toThrow();
  });

  it('accepts more postings that sum to zero', () => {
    expect(
      refusal(
        entry([
          { account: ACCOUNTS.operatingCash, amountCentimes: 1_500_00n },
          { account: ACCOUNTS.receivable, amountCentimes: -1_000_00n },
          { account: ACCOUNTS.unappliedCredit, amountCentimes: -500_00n },
        ]),
      ),
    ).toBeNull();
  });

  it('refuses an entry with fewer than two postings', () => {
    const none = refusal(entry([], { kind: 'expenditure' }));
    expect(none).toBeInstanceOf(UnbalancedEntryError);
    expect(none?.message).toBe('journal entry "expenditure" needs at least two postings');
    const one = refusal(entry([{ account: ACCOUNTS.operatingCash, amountCentimes: 5n }]));
    expect(one).toBeInstanceOf(UnbalancedEntryError);
    expect(one?.message).toBe('journal entry "payment" needs at least two postings');
  });

  it('refuses a zero posting, even when the entry balances', () => {
    const err = refusal(
      entry([
        { account: ACCOUNTS.operatingCash, amountCentimes: 100n },
        { account: ACCOUNTS.expenditure, amountCentimes: 0n },
        { account: ACCOUNTS.receivable, amountCentimes: -100n },
      ]),
    );
    expect(err).toBeInstanceOf(UnbalancedEntryError);
    expect(err?.message).toBe('journal entry "payment" has a zero posting');
  });

  it('refuses an unbalanced entry, saying by how much it is off', () => {
    const byOneCentime = refusal(
      entry([
        { account: ACCOUNTS.operatingCash, amountCentimes: 1_000_01n },
        { account: ACCOUNTS.receivable, amountCentimes: -1_000_00n },
      ]),
    );
    expect(byOneCentime).toBeInstanceOf(UnbalancedEntryError);
    expect(byOneCentime?.message).toBe('journal entry "payment" does not balance: off by 0.01');
    // Same sign on both sides: a sum that would cancel out if one side were subtracted.
    const doubled = refusal(
      entry(
        [
          { account: ACCOUNTS.expenditure, amountCentimes: 250_00n },
          { account: ACCOUNTS.operatingCash, amountCentimes: 250_00n },
        ],
        { kind: 'expenditure' },
      ),
    );
    expect(doubled?.message).toBe('journal entry "expenditure" does not balance: off by 500.00');
    const short = refusal(
      entry([
        { account: ACCOUNTS.operatingCash, amountCentimes: 100n },
        { account: ACCOUNTS.receivable, amountCentimes: -175n },
      ]),
    );
    expect(short?.message).toBe('journal entry "payment" does not balance: off by -0.75');
  });
});

describe('reversalOf', () => {
  const original = {
    id: 42,
    entryDate: '2018-03-31',
    kind: 'payment',
    description: 'Payment of Austria',
    refType: 'payment',
    refId: '17',
    postings: [
      { account: ACCOUNTS.operatingCash, amountCentimes: 1_500_00n },
      { account: ACCOUNTS.receivable, amountCentimes: -1_000_00n, stateIso3: 'AUT', budgetYear: 2018, category: '7(a)' },
      { account: ACCOUNTS.unappliedCredit, amountCentimes: -500_00n, stateIso3: 'AUT', budgetYear: null, category: null },
    ],
  } satisfies JournalEntryDraft & { id: number };

  it('reverses every posting, keeping its account, State, year and category', () => {
    const r = reversalOf(original, '2018-04-15', 'Correction: wrong State');
    expect(r).toEqual({
      entryDate: '2018-04-15',
      kind: 'payment.reversal',
      description: 'Correction: wrong State',
      refType: 'payment',
      refId: '17',
      reversesEntryId: 42,
      postings: [
        { account: '1000', amountCentimes: -1_500_00n },
        { account: '1100', amountCentimes: 1_000_00n, stateIso3: 'AUT', budgetYear: 2018, category: '7(a)' },
        { account: '2100', amountCentimes: 500_00n, stateIso3: 'AUT', budgetYear: null, category: null },
      ],
    });
    expect(() => assertBalanced(r)).not.toThrow();
  });

  it('does not touch the original entry', () => {
    reversalOf(original, '2018-04-15', 'x');
    expect(original.postings[0]!.amountCentimes).toBe(1_500_00n);
    expect(original.postings[1]!.amountCentimes).toBe(-1_000_00n);
  });

  it('has null references when the original has none', () => {
    const { refType: _t, refId: _i, ...bare } = original;
    const r = reversalOf({ ...bare, kind: 'expenditure' }, '2018-05-01', 'Reversed');
    expect(r.refType).toBeNull();
    expect(r.refId).toBeNull();
    expect(r.kind).toBe('expenditure.reversal');
    expect(r.reversesEntryId).toBe(42);
    const r2 = reversalOf({ ...original, refType: null, refId: null }, '2018-05-01', 'Reversed');
    expect(r2.refType).toBeNull();
    expect(r2.refId).toBeNull();
  });
});
