import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditorReference, groupsOfFour, invoiceCreditorReference, isValidCreditorReference } from '../../src/domain/creditor-reference.js';
import { isQrIban, isValidIban } from '../../src/domain/iban.js';

describe('ISO 11649 creditor reference', () => {
  it("matches the standard's published example", () => {
    // ISO 11649 example: reference 539007547034 → RF18 5390 0754 7034.
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
    expect(isValidCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(isValidCreditorReference('RF18000000000539007547034')).toBe(true);
    expect(isValidCreditorReference('RF19539007547034')).toBe(false);
    expect(isValidCreditorReference('RF18539007547035')).toBe(false);
    expect(groupsOfFour('RF18539007547034')).toBe('RF18 5390 0754 7034');
  });

  it('gives every invoice of every year a distinct, valid reference', () => {
    const refs = new Set<string>();
    for (const year of [2016, 2017, 2018])
      for (let seq = 1; seq <= 250; seq++) {
        const r = invoiceCreditorReference('ISU', year, seq);
        expect(isValidCreditorReference(r)).toBe(true);
        expect(r.length).toBeLessThanOrEqual(25);
        refs.add(r);
      }
    expect(refs.size).toBe(750);
    expect(invoiceCreditorReference('ISU', 2018, 1)).toMatch(/^RF[0-9]{2}ISU20180001$/);
  });

  // MOD 97-10 catches every substitution of a digit by a digit or a letter by a letter (not every digit↔letter one).
  it('validates what it computes, and detects any single changed digit or letter (property)', () => {
    const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
    fc.assert(
      fc.property(fc.array(alnum, { minLength: 1, maxLength: 21 }), fc.nat(), alnum, (chars, pos, replacement) => {
        const ref = creditorReference(chars.join(''));
        expect(isValidCreditorReference(ref)).toBe(true);
        const i = 4 + (pos % chars.length);
        const isDigit = (c: string) => c >= '0' && c <= '9';
        if (ref[i] === replacement || isDigit(ref[i]!) !== isDigit(replacement)) return;
        const altered = ref.slice(0, i) + replacement + ref.slice(i + 1);
        expect(isValidCreditorReference(altered)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses bodies that are empty, too long or not alphanumeric', () => {
    expect(() => creditorReference('')).toThrow();
    expect(() => creditorReference('A'.repeat(22))).toThrow();
    expect(() => creditorReference('ISU-2018')).toThrow();
  });
});

describe('IBAN', () => {
  it('checks the checksum and tells QR-IBANs apart', () => {
    expect(isValidIban('CH56 0483 5012 3456 7800 9')).toBe(true);
    expect(isValidIban('CH93 0076 2011 6238 5295 7')).toBe(true);
    expect(isValidIban('CH56 0483 5012 3456 7800 8')).toBe(false);
    expect(isQrIban('CH44 3199 9123 0008 8901 2')).toBe(true);
    expect(isQrIban('CH56 0483 5012 3456 7800 9')).toBe(false);
  });
});
