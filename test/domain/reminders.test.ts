import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidCreditorReference } from '../../src/domain/creditor-reference.js';
import { isOverdue, reminderDue, reminderLevel, reminderNumber, reminderReference, type InvoiceStanding } from '../../src/domain/reminders.js';

const inv = (number: string, year: number, dueDate: string, leftCentimes: bigint): InvoiceStanding => ({ number, year, dueDate, leftCentimes });

const DATES = ['2018-03-30', '2018-03-31', '2018-04-01', '2018-04-02', '2018-06-30'];

const arbInvoice = fc.record({
  number: fc.constantFrom('ISU-2016-0001', 'ISU-2017-0002', 'ISU-2018-0003', 'ISU-2018-0010', 'ISU-2018-0011'),
  year: fc.constantFrom(2016, 2017, 2018),
  dueDate: fc.constantFrom(...DATES),
  leftCentimes: fc.oneof(fc.constant(0n), fc.bigInt(-500n, 10_000_000n)),
});
const arbCase = fc.record({
  invoices: fc.array(arbInvoice, { maxLength: 8 }),
  credit: fc.oneof(fc.constant(0n), fc.bigInt(0n, 20_000_000n)),
  asOf: fc.constantFrom(...DATES),
});

/** Independent model: sum what is left on invoices whose due date is strictly before asOf. */
function model(invoices: readonly InvoiceStanding[], credit: bigint, asOf: string) {
  let overdue = 0n;
  const listed: InvoiceStanding[] = [];
  for (const i of invoices)
    if (i.dueDate < asOf && i.leftCentimes > 0n) {
      overdue += i.leftCentimes;
      listed.push(i);
    }
  return { overdue, listed, toPay: overdue - credit };
}

describe('isOverdue', () => {
  it('is in time on the due date itself, overdue the day after, never when nothing is left', () => {
    expect(isOverdue(inv('A', 2018, '2018-03-31', 100n), '2018-03-30')).toBe(false);
    expect(isOverdue(inv('A', 2018, '2018-03-31', 100n), '2018-03-31')).toBe(false);
    expect(isOverdue(inv('A', 2018, '2018-03-31', 100n), '2018-04-01')).toBe(true);
    expect(isOverdue(inv('A', 2018, '2018-03-31', 1n), '2018-04-01')).toBe(true);
    expect(isOverdue(inv('A', 2018, '2018-03-31', 0n), '2018-04-01')).toBe(false);
    expect(isOverdue(inv('A', 2018, '2018-03-31', -1n), '2018-04-01')).toBe(false);
  });
});

describe('reminderDue', () => {
  it('asks for the overdue total less the credit, listing the overdue invoices oldest first', () => {
    const r = reminderDue(
      [
        inv('ISU-2018-0005', 2018, '2018-03-31', 700_00n),
        inv('ISU-2018-0040', 2018, '2018-05-10', 50_00n), // a late invoice, not due yet on 2018-04-15
        inv('ISU-2017-0003', 2017, '2017-03-31', 250_00n),
        inv('ISU-2016-0009', 2016, '2016-03-31', 0n), // paid
        inv('ISU-2018-0002', 2018, '2018-03-31', 10_00n),
        inv('ISU-2018-0001', 2018, '2018-04-14', 5_00n), // same year, later due date
      ],
      100_00n,
      '2018-04-15',
    );
    expect(r).toEqual({
      invoices: [
        inv('ISU-2017-0003', 2017, '2017-03-31', 250_00n),
        inv('ISU-2018-0002', 2018, '2018-03-31', 10_00n),
        inv('ISU-2018-0005', 2018, '2018-03-31', 700_00n),
        inv('ISU-2018-0001', 2018, '2018-04-14', 5_00n),
      ],
      overdueCentimes: 965_00n,
      creditCentimes: 100_00n,
      toPayCentimes: 865_00n,
    });
  });

  it('never reminds a State whose credit covers what is overdue, to the centime', () => {
    const invoices = [inv('ISU-2018-0001', 2018, '2018-03-31', 1234_56n)];
    expect(reminderDue(invoices, 1234_56n, '2018-04-01')).toBeNull();
    expect(reminderDue(invoices, 1234_57n, '2018-04-01')).toBeNull();
    expect(reminderDue(invoices, 1234_55n, '2018-04-01')?.toPayCentimes).toBe(1n);
    expect(reminderDue(invoices, 0n, '2018-03-31')).toBeNull();
    expect(reminderDue([], 0n, '2018-04-01')).toBeNull();
  });

  it('refuses a negative credit', () => {
    expect(() => reminderDue([], -1n, '2018-04-01')).toThrow(/negative/);
    expect(reminderDue([inv('A', 2018, '2018-03-31', 1n)], 0n, '2018-04-01')?.toPayCentimes).toBe(1n);
  });

  it('property: reminded exactly when overdue exceeds credit; amount to pay = overdue − credit; the invoices are those overdue', () => {
    fc.assert(
      fc.property(arbCase, ({ invoices, credit, asOf }) => {
        const m = model(invoices, credit, asOf);
        const r = reminderDue(invoices, credit, asOf);
        if (m.overdue <= credit) {
          expect(r).toBeNull();
          return;
        }
        expect(r).not.toBeNull();
        expect(r!.overdueCentimes).toBe(m.overdue);
        expect(r!.creditCentimes).toBe(credit);
        expect(r!.toPayCentimes).toBe(m.toPay);
        expect(r!.toPayCentimes).toBeGreaterThan(0n);
        expect([...r!.invoices].sort((a, b) => (a.number + a.dueDate + a.leftCentimes < b.number + b.dueDate + b.leftCentimes ? -1 : 1))).toEqual(
          [...m.listed].sort((a, b) => (a.number + a.dueDate + a.leftCentimes < b.number + b.dueDate + b.leftCentimes ? -1 : 1)),
        );
      }),
    );
  });

  it('property: invoices not yet due (due on or after asOf) never count, whatever is left on them', () => {
    fc.assert(
      fc.property(arbCase, fc.bigInt(1n, 10_000_000n), ({ invoices, credit, asOf }, extra) => {
        const notDue = invoices.filter((i) => i.dueDate >= asOf);
        const bumped = [...invoices, ...notDue.map((i) => ({ ...i, leftCentimes: i.leftCentimes + extra }))];
        expect(reminderDue(bumped, credit, asOf)).toEqual(reminderDue(invoices, credit, asOf));
        for (const r of [reminderDue(invoices, credit, asOf)]) for (const i of r?.invoices ?? []) expect(i.dueDate < asOf).toBe(true);
      }),
    );
  });

  it('property: the letter lists the invoices oldest first (year, due date, number), whatever order they come in', () => {
    fc.assert(
      fc.property(arbCase, ({ invoices, asOf }) => {
        const r = reminderDue(invoices, 0n, asOf);
        const listed = r?.invoices ?? [];
        for (let k = 1; k < listed.length; k++) {
          const a = listed[k - 1]!;
          const b = listed[k]!;
          expect(a.year < b.year || (a.year === b.year && (a.dueDate < b.dueDate || (a.dueDate === b.dueDate && a.number <= b.number)))).toBe(true);
        }
        expect(reminderDue([...invoices].reverse(), 0n, asOf)?.invoices.map((i) => i.number)).toEqual(r?.invoices.map((i) => i.number));
      }),
    );
  });
});

describe('reminderLevel', () => {
  it('counts the earlier letters that named any of these invoices', () => {
    expect(reminderLevel([], ['A'])).toBe(1);
    expect(reminderLevel([['B']], ['A'])).toBe(1);
    expect(reminderLevel([['A']], ['A'])).toBe(2);
    expect(reminderLevel([['A'], ['A', 'B'], ['C']], ['B', 'D'])).toBe(2);
    expect(reminderLevel([['A'], ['A', 'B'], ['B']], ['A', 'B'])).toBe(4);
    expect(reminderLevel([[], ['X']], [])).toBe(1);
  });
});

describe('reminder numbers and references', () => {
  it('numbers REM-{year}-{seq} with four digits and gives each a valid RF reference', () => {
    expect(reminderNumber(2018, 1)).toBe('REM-2018-0001');
    expect(reminderNumber(2019, 42)).toBe('REM-2019-0042');
    expect(reminderNumber(2019, 12345)).toBe('REM-2019-12345');
    expect(reminderReference(2018, 1)).toBe('RF60REM20180001');
    expect(reminderReference(2019, 42)).toBe('RF68REM20190042');
    for (const [y, s] of [[2018, 1], [2019, 42], [2030, 9999]] as const) expect(isValidCreditorReference(reminderReference(y, s))).toBe(true);
  });
});
