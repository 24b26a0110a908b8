import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, LETTERS, mod97Model } from './mod97-model.js';
import { isQrBillIban, isQrIban, isValidIban } from '../../src/domain/iban.js';

// The independent MOD 97-10 model is in ./mod97-model.ts.

/** The checksum test of ISO 13616: first four characters moved to the end, the number mod 97 is 1. */
const checksumHolds = (compact: string): boolean => mod97Model(compact.slice(4) + compact.slice(0, 4)) === 1;

/** Country + computed check digits + BBAN. */
function ibanOf(country: string, bban: string): string {
  const check = 98 - mod97Model(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** Replaces the "??" of a template by the two digits that make the checksum hold (always exists: 00–99 covers every residue). */
function solveChecksum(template: string): string {
  for (let n = 0; n < 100; n++) {
    const candidate = template.replace('??', String(n).padStart(2, '0'));
    if (checksumHolds(candidate)) return candidate;
  }
  throw new Error(`model: no solution for ${template}`);
}

const alnumString = (minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...ALNUM.split('')), { minLength, maxLength }).map((a) => a.join(''));
const country = fc.array(fc.constantFrom(...LETTERS.split('')), { minLength: 2, maxLength: 2 }).map((a) => a.join(''));

describe('isValidIban', () => {
  it('the independent model agrees with the IBAN registry examples (sanity check of the model)', () => {
    for (const s of ['GB82WEST12345698765432', 'AZ21NABZ00000000137010001944', 'CH9300762011623852957']) expect(checksumHolds(s)).toBe(true);
    expect(ibanOf('GB', 'WEST12345698765432')).toBe('GB82WEST12345698765432');
    expect(ibanOf('AZ', 'NABZ00000000137010001944')).toBe('AZ21NABZ00000000137010001944');
  });

  it.each([
    'CH56 0483 5012 3456 7800 9',
    'CH93 0076 2011 6238 5295 7',
    'CH44 3199 9123 0008 8901 2',
    'GB82 WEST 1234 5698 7654 32',
    'GB29 NWBK 6016 1331 9268 19',
    // Examples of the SWIFT IBAN registry that contain the letters A and Z (the ends of the letter range).
    'AZ21 NABZ 0000 0000 1370 1000 1944',
    'AD12 0001 2030 2003 5910 0100',
    'AT61 1904 3002 3457 3201',
    'SA03 8000 0000 6080 1016 7519',
    'KZ86 125K ZT50 0410 0100',
    'CZ65 0800 0000 1920 0014 5399',
    'LI21 0881 0000 2324 013A A',
    'MT84 MALT 0110 0001 2345 MTLC AST0 01S',
    'QA58 DOHB 0000 1234 5678 90AB CDEF G',
    'FR76 3000 6000 0112 3456 7890 189',
  ])('accepts the published IBAN %s', (iban) => {
    expect(isValidIban(iban)).toBe(true);
    expect(isValidIban(iban.replace(/ /g, ''))).toBe(true);
    expect(isValidIban(iban.toLowerCase())).toBe(true);
  });

  it.each([
    'CH56 0483 5012 3456 7800 8', // last digit changed
    'CH57 0483 5012 3456 7800 9', // check digit changed
    'GB82 WEST 1234 5698 7654 33',
    'AZ21 NABZ 0000 0000 1370 1000 1945',
    'LI21 0881 0000 2324 013A B', // A → B
    'LI21 0881 0000 2324 013Z A', // A → Z
  ])('rejects %s (checksum)', (iban) => {
    expect(isValidIban(iban)).toBe(false);
  });

  it('accepts IBANs made of the letters A and Z with check digits from the independent model', () => {
    const cases = [
      ['CH', 'AAAAAAAAAAAAAAAAA'],
      ['CH', 'ZZZZZZZZZZZZZZZZZ'],
      ['AZ', 'AZAZ0000000000000A'],
      ['ZA', 'Z0000000000000000Z'],
      ['GB', 'AAAA12345698765432'],
      ['GB', 'ZZZZ12345698765432'],
    ] as const;
    for (const [cc, bban] of cases) {
      const iban = ibanOf(cc, bban);
      expect(checksumHolds(iban)).toBe(true);
      expect(isValidIban(iban)).toBe(true);
      // One letter A↔Z swapped breaks the checksum (MOD 97 detects any single substitution of a letter by a letter).
      const i = iban.search(/[AZ]/);
      const swapped = `${iban.slice(0, i)}${iban[i] === 'A' ? 'Z' : 'A'}${iban.slice(i + 1)}`;
      expect(checksumHolds(swapped)).toBe(false);
      expect(isValidIban(swapped)).toBe(false);
    }
  });

  it('accepts 10 to 30 characters after the check digits, no fewer and no more, even with a correct checksum', () => {
    expect(isValidIban(ibanOf('GB', 'A'.repeat(9) + 'Z'))).toBe(true); // 14 characters
    expect(isValidIban(ibanOf('GB', 'Z'.repeat(29) + '1'))).toBe(true); // 34 characters
    const nine = ibanOf('GB', 'A'.repeat(8) + 'Z');
    const thirtyOne = ibanOf('GB', 'Z'.repeat(30) + '1');
    expect(checksumHolds(nine) && checksumHolds(thirtyOne)).toBe(true);
    expect(isValidIban(nine)).toBe(false);
    expect(isValidIban(thirtyOne)).toBe(false);
  });

  it('rejects malformed strings even when the MOD 97 checksum works out', () => {
    // A leading character before the country code.
    const leadingJunk = solveChecksum('9GB12??34567890123');
    // A letter among the check digits.
    const letterCheckDigit = solveChecksum('GB1AWEST12??5698765432');
    // Digits as the country code.
    const digitCountry = solveChecksum('12??WEST12345698765432');
    for (const s of [leadingJunk, letterCheckDigit, digitCountry]) {
      expect(checksumHolds(s)).toBe(true);
      expect(isValidIban(s)).toBe(false);
    }
  });

  it.each(['', 'CH', 'CH56', 'CH56 0483 5012 3456 7800 9!', 'CH56-0483-5012-3456-7800-9', 'ÇH56 0483 5012 3456 7800 9'])(
    'rejects the malformed %j',
    (s) => {
      expect(isValidIban(s)).toBe(false);
    },
  );

  it('ignores every kind and amount of whitespace', () => {
    expect(isValidIban(' CH56\t0483  5012\n3456 7800 9 ')).toBe(true);
  });

  it('property: agrees with the independent model on well-formed strings, correct or not', () => {
    fc.assert(
      fc.property(country, alnumString(10, 30), fc.boolean(), fc.integer({ min: 0, max: 99 }), (cc, bban, computed, anyCheck) => {
        const s = computed ? ibanOf(cc, bban) : `${cc}${String(anyCheck).padStart(2, '0')}${bban}`;
        expect(isValidIban(s)).toBe(checksumHolds(s));
        if (computed) expect(isValidIban(s)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isQrIban', () => {
  /** A Swiss or Liechtenstein IBAN with a valid checksum and the given 5-digit institution id. */
  const withIid = (cc: string, iid: string) => ibanOf(cc, `${iid}000012345678`);

  it.each([
    ['29999', false],
    ['30000', true],
    ['30001', true],
    ['31998', true],
    ['31999', true],
    ['32000', false],
    ['00762', false],
    ['04835', false],
  ])('CH/LI with institution id %s → QR-IBAN %s', (iid, expected) => {
    for (const cc of ['CH', 'LI']) {
      const iban = withIid(cc, iid);
      expect(isValidIban(iban)).toBe(true);
      expect(isQrIban(iban)).toBe(expected);
    }
  });

  it('tells the published Swiss QR-IBAN from ordinary IBANs, with or without spaces, in any case', () => {
    expect(isQrIban('CH44 3199 9123 0008 8901 2')).toBe(true);
    expect(isQrIban('ch44 3199 9123 0008 8901 2')).toBe(true);
    expect(isQrIban('CH4431999123000889012')).toBe(true);
    expect(isQrIban('CH56 0483 5012 3456 7800 9')).toBe(false);
    expect(isQrIban('LI21 0881 0000 2324 013A A')).toBe(false);
  });

  it('only Swiss and Liechtenstein IBANs are QR-IBANs, whatever their digits 5–9', () => {
    // French registry example: its bank code 30006 lies in the QR range.
    expect(isQrIban('FR76 3000 6000 0112 3456 7890 189')).toBe(false);
    // "CH" and "LI" elsewhere than at the start do not count.
    const frWithCh = ibanOf('FR', '30006000001CH34567890189');
    const deWithLi = ibanOf('DE', '3100000000LI00');
    expect(isValidIban(frWithCh) && isValidIban(deWithLi)).toBe(true);
    expect(isQrIban(frWithCh)).toBe(false);
    expect(isQrIban(deWithLi)).toBe(false);
  });

  it('property: CH/LI IBAN is a QR-IBAN iff 30000 ≤ institution id ≤ 31999', () => {
    fc.assert(
      fc.property(fc.constantFrom('CH', 'LI'), fc.integer({ min: 0, max: 99999 }), alnumString(12, 12), (cc, iid, account) => {
        const iban = ibanOf(cc, `${String(iid).padStart(5, '0')}${account}`);
        expect(isQrIban(iban)).toBe(iid >= 30000 && iid <= 31999);
      }),
      { numRuns: 300 },
    );
  });

  it('finding 3 (issue 16): the QR-bill carries only CH and LI IBANs of 21 characters', () => {
    expect(isQrBillIban('CH56 0483 5012 3456 7800 9')).toBe(true);
    expect(isQrBillIban('LI21 0881 0000 2324 013A A')).toBe(true);
    expect(isQrBillIban('GB82 WEST 1234 5698 7654 32')).toBe(false);
    expect(isQrBillIban('DE89370400440532013000')).toBe(false);
    expect(isQrBillIban('CH560483501234567800')).toBe(false); // 20 characters
    expect(isQrBillIban('CH56048350123456780091')).toBe(false); // 22 characters
    expect(isQrBillIban('XCH5604835012345678009')).toBe(false); // CH not at the start
    fc.assert(
      fc.property(fc.constantFrom('CH', 'LI', 'GB', 'FR', 'DE'), alnumString(17, 17), (cc, bban) => {
        expect(isQrBillIban(ibanOf(cc, bban))).toBe(cc === 'CH' || cc === 'LI');
      }),
      { numRuns: 200 },
    );
  });
});
