import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, mod97Model } from './mod97-model.js';
import { creditorReference, groupsOfFour, invoiceCreditorReference, isValidCreditorReference } from '../../src/domain/creditor-reference.js';

// The independent MOD 97-10 model is in ./mod97-model.ts.

/** RF + check digits + body, the check digits being 98 − (body + "RF00") mod 97. */
function referenceModel(body: string): string {
  return `RF${String(98 - mod97Model(`${body}RF00`)).padStart(2, '0')}${body}`;
}

/** ISO 11649 validity: body + the first four characters, mod 97, is 1. */
const referenceChecksumHolds = (ref: string): boolean => mod97Model(ref.slice(4) + ref.slice(0, 4)) === 1;

/** Replaces the "??" of a template by the two digits that make the checksum hold. */
function solveChecksum(template: string): string {
  for (let n = 0; n < 100; n++) {
    const candidate = template.replace('??', String(n).padStart(2, '0'));
    if (referenceChecksumHolds(candidate)) return candidate;
  }
  throw new Error(`model: no solution for ${template}`);
}

const alnumBody = fc.array(fc.constantFrom(...ALNUM.split('')), { minLength: 1, maxLength: 21 }).map((a) => a.join(''));

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

  it('refuses bodies that are empty, too long or not alphanumeric, and says why', () => {
    expect(() => creditorReference('')).toThrow('a creditor reference body is 1–21 letters or digits, got ""');
    expect(() => creditorReference('A'.repeat(22))).toThrow(`a creditor reference body is 1–21 letters or digits, got "${'A'.repeat(22)}"`);
    expect(() => creditorReference('ISU-2018')).toThrow('a creditor reference body is 1–21 letters or digits, got "ISU-2018"');
    expect(() => creditorReference('ISU 2018')).toThrow(/got "ISU 2018"/);
  });
});

describe('creditor reference check digits against an independent model', () => {
  it('the model reproduces the ISO 11649 published example (sanity check of the model)', () => {
    expect(referenceModel('539007547034')).toBe('RF18539007547034');
  });

  it.each(['A', 'Z', 'AZ', 'ZA', 'A'.repeat(21), 'Z'.repeat(21), 'ISUZ20180001', 'ZAZA20180099', 'AAA0000', 'ZZZ9999', '0Z', '9A'])(
    'body %s (letters A and Z)',
    (body) => {
      const expected = referenceModel(body);
      expect(creditorReference(body)).toBe(expected);
      expect(creditorReference(body.toLowerCase())).toBe(expected);
      expect(isValidCreditorReference(expected)).toBe(true);
    },
  );

  it('invoice references with prefixes containing A and Z', () => {
    expect(invoiceCreditorReference('AZ', 2018, 7)).toBe(referenceModel('AZ20180007'));
    expect(invoiceCreditorReference('ZA', 2017, 250)).toBe(referenceModel('ZA20170250'));
    expect(invoiceCreditorReference('ISUZ', 2016, 1)).toBe(referenceModel('ISUZ20160001'));
    expect(invoiceCreditorReference('ISU', 2018, 1)).toBe(referenceModel('ISU20180001'));
  });

  it('invoice references drop what is not a letter or digit from the prefix, upper-case it and pad the sequence to 4 digits', () => {
    expect(invoiceCreditorReference('ISU-CCM', 2018, 1)).toBe(referenceModel('ISUCCM20180001'));
    expect(invoiceCreditorReference('I.S U', 2018, 12)).toBe(referenceModel('ISU20180012'));
    expect(invoiceCreditorReference('isu', 2018, 123)).toBe(referenceModel('ISU20180123'));
    expect(invoiceCreditorReference('ISU', 2018, 12345)).toBe(referenceModel('ISU201812345'));
  });

  it('property: creditorReference equals the model for any 1–21 letters or digits', () => {
    fc.assert(
      fc.property(alnumBody, (body) => {
        expect(creditorReference(body)).toBe(referenceModel(body));
      }),
      { numRuns: 500 },
    );
  });

  it('property: isValidCreditorReference agrees with the model on well-formed references, correct or not', () => {
    fc.assert(
      fc.property(alnumBody, fc.integer({ min: 0, max: 99 }), (body, check) => {
        const ref = `RF${String(check).padStart(2, '0')}${body}`;
        expect(isValidCreditorReference(ref)).toBe(referenceChecksumHolds(ref));
      }),
      { numRuns: 500 },
    );
  });
});

describe('isValidCreditorReference: form', () => {
  it('accepts the printed form, lower case and any whitespace', () => {
    expect(isValidCreditorReference('rf18 5390 0754 7034')).toBe(true);
    expect(isValidCreditorReference(' RF18\t5390  0754\n7034 ')).toBe(true);
  });

  it.each(['', 'RF', 'RF18', 'RF1853900754703X!', 'RF18-5390-0754-7034', 'RFAB539007547034', 'XX18539007547034'])('rejects the malformed %j', (s) => {
    expect(isValidCreditorReference(s)).toBe(false);
  });

  it('rejects malformed references even when the MOD 97 checksum works out', () => {
    const tooLong = referenceModel('Z'.repeat(22)); // 22 characters after the check digits
    const leadingJunk = solveChecksum('0RF001234567??'); // a character before "RF"
    const notRf = solveChecksum('RX??1234567890'); // not "RF"
    for (const s of [tooLong, leadingJunk, notRf]) {
      expect(referenceChecksumHolds(s)).toBe(true);
      expect(isValidCreditorReference(s)).toBe(false);
    }
    expect(isValidCreditorReference(referenceModel('Z'.repeat(21)))).toBe(true);
  });
});

describe('groupsOfFour', () => {
  it.each([
    ['RF18539007547034', 'RF18 5390 0754 7034'],
    ['RF18 53900754  7034', 'RF18 5390 0754 7034'],
    [' RF18\t5390\n0754 7034 ', 'RF18 5390 0754 7034'],
    ['RF18', 'RF18'],
    ['RF185', 'RF18 5'],
    ['CH4431999123000889012', 'CH44 3199 9123 0008 8901 2'],
    ['', ''],
  ])('%j → %j', (input, printed) => {
    expect(groupsOfFour(input)).toBe(printed);
  });
});
