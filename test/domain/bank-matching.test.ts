import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditorReferenceOf, foldText, invoiceNumbersIn, normaliseReference, statesNamedIn, type NamedState } from '../../src/domain/bank-matching.js';
import { ALNUM, mod97Model } from './mod97-model.js';

/** RF + check digits + body, by the independent MOD 97 model (not the module under test). */
const rf = (body: string) => `RF${String(98 - mod97Model(`${body}RF00`)).padStart(2, '0')}${body}`;

const STATES: NamedState[] = [
  { iso3: 'BOL', names: ['Bolivia (Plurinational State of)', 'Bolivie (État plurinational de)', 'Bolivia (Estado Plurinacional de)'] },
  { iso3: 'CIV', names: ['Côte d’Ivoire', 'Côte d’Ivoire', 'Côte d’Ivoire'] },
  { iso3: 'FRA', names: ['France', 'France', 'Francia'] },
  { iso3: 'GBR', names: ['United Kingdom of Great Britain and Northern Ireland', 'Royaume-Uni de Grande-Bretagne et d’Irlande du Nord', 'Reino Unido'] },
  { iso3: 'GIN', names: ['Guinea', 'Guinée', 'Guinea'] },
  { iso3: 'GNB', names: ['Guinea-Bissau', 'Guinée-Bissau', 'Guinea-Bissau'] },
  { iso3: 'IRL', names: ['Ireland', 'Irlande', 'Irlanda'] },
  { iso3: 'LSO', names: ['Lesotho', 'Lesotho', 'Lesotho'] },
  { iso3: 'MEX', names: ['Mexico', 'Mexique', 'México'] },
  { iso3: 'AND', names: ['Andorra', 'Andorre', 'Andorra'] },
  { iso3: 'PER', names: ['Peru', 'Pérou', 'Perú'] },
  { iso3: 'CAN', names: ['Canada', 'Canada', 'Canadá'] },
  { iso3: 'FIN', names: ['Finland', 'Finlande', 'Finlandia'] },
  { iso3: 'NER', names: ['Niger', 'Niger', 'Níger'] },
];

describe('references', () => {
  it('normalises spaces and case, and keeps only RF references whose check digits hold', () => {
    expect(normaliseReference(' rf18 5390\t0754 7034 ')).toBe('RF18539007547034');
    expect(creditorReferenceOf('rf18 5390 0754 7034')).toBe('RF18539007547034');
    expect(creditorReferenceOf('RF19 5390 0754 7034')).toBeNull();
    expect(creditorReferenceOf('210000000003139471430009017')).toBeNull(); // a QR reference is not ours
    expect(creditorReferenceOf(null)).toBeNull();
    expect(creditorReferenceOf(rf('ISU20180017'))).toBe(rf('ISU20180017'));
  });

  it('finds the reference whatever the spacing and case, and refuses one changed digit (property)', () => {
    const body = fc.array(fc.constantFrom(...ALNUM.split('')), { minLength: 1, maxLength: 21 }).map((a) => a.join(''));
    fc.assert(
      fc.property(body, fc.array(fc.constantFrom(' ', '  ', '\t', ''), { minLength: 30, maxLength: 30 }), fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 9 }), (b, gaps, lower, pos, delta) => {
        const ref = rf(b);
        const typed = [...ref].map((c, i) => c + gaps[i]!).join('');
        expect(normaliseReference(lower ? typed.toLowerCase() : typed)).toBe(ref);
        expect(normaliseReference(normaliseReference(typed))).toBe(ref);
        expect(creditorReferenceOf(lower ? typed.toLowerCase() : typed)).toBe(ref);
        const digits = [...ref.slice(2)].map((c, i) => (c >= '0' && c <= '9' ? i + 2 : -1)).filter((i) => i >= 0);
        const i = digits[pos % digits.length]!;
        const changed = ref.slice(0, i) + String((Number(ref[i]) + delta) % 10) + ref.slice(i + 1);
        expect(creditorReferenceOf(changed)).toBeNull();
      }),
    );
  });
});

describe('invoice numbers in free text', () => {
  it('reads them in any spacing and case, on four digits, in order of first mention', () => {
    expect(invoiceNumbersIn('Payment ISU-2018-0017', 'ISU')).toEqual(['ISU-2018-0017']);
    expect(invoiceNumbersIn('isu 2018 17 and ISU2017/0003, again Isu.2018.0017', 'ISU')).toEqual(['ISU-2018-0017', 'ISU-2017-0003']);
    expect(invoiceNumbersIn('ISU_1999_1 ISU20181234', 'ISU')).toEqual(['ISU-1999-0001', 'ISU-2018-1234']);
    expect(invoiceNumbersIn('inv-2018-0002', 'INV')).toEqual(['INV-2018-0002']);
  });

  it('refuses what only looks like one', () => {
    expect(invoiceNumbersIn('ISU-2018-00171', 'ISU')).toEqual([]); // five digits
    expect(invoiceNumbersIn('XISU-2018-0017', 'ISU')).toEqual([]); // glued to a letter
    expect(invoiceNumbersIn('9ISU-2018-0017', 'ISU')).toEqual([]); // glued to a digit
    expect(invoiceNumbersIn('ISU-2118-0017 ISU-1818-0017', 'ISU')).toEqual([]); // not a year of ours
    expect(invoiceNumbersIn('ISU-2018-0000', 'ISU')).toEqual([]);
    expect(invoiceNumbersIn('ISU-2018-', 'ISU')).toEqual([]);
    expect(invoiceNumbersIn('ISU-2018-0017', 'CN')).toEqual([]);
    expect(invoiceNumbersIn('ISU-201-0017', 'ISU')).toEqual([]);
  });

  it('finds a number written with any separators and case inside other words (property)', () => {
    const sep = fc.array(fc.constantFrom('-', ' ', '.', '/', '_'), { maxLength: 3 }).map((a) => a.join(''));
    const filler = fc.array(fc.constantFrom('payment', 'contribution', 'of', 'the', 'for', 'CHF', 'Fr.', '—'), { maxLength: 5 }).map((a) => a.join(' '));
    fc.assert(
      fc.property(fc.constantFrom('ISU', 'isu', 'Isu'), fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 9999 }), fc.boolean(), sep, sep, filler, filler, (prefix, year, seq, pad, s1, s2, before, after) => {
        const written = `${prefix}${s1}${year}${s2}${pad ? String(seq).padStart(4, '0') : seq}`;
        const canonical = `ISU-${year}-${String(seq).padStart(4, '0')}`;
        expect(invoiceNumbersIn(`${before} ${written} ${after}`, 'ISU')).toEqual([canonical]);
      }),
    );
  });
});

describe('States named in free text', () => {
  it('folds accents, case and punctuation', () => {
    expect(foldText('  Côte d’Ivoire — CONTRIBUTION, 2018! ')).toBe('cote d ivoire contribution 2018');
  });

  it('finds a State by any of its names, as whole words', () => {
    expect(statesNamedIn('CONTRIBUTION 2018 KINGDOM OF LESOTHO', STATES)).toEqual(['LSO']);
    expect(statesNamedIn('Lesotho contribution', STATES)).toEqual(['LSO']);
    expect(statesNamedIn('contribution du Mexique', STATES)).toEqual(['MEX']);
    expect(statesNamedIn('Aporte de MEXICO y Perú', STATES)).toEqual(['MEX', 'PER']);
    expect(statesNamedIn("Republique de Cote d'Ivoire", STATES)).toEqual(['CIV']);
    expect(statesNamedIn('Estado Plurinacional de Bolivia', STATES)).toEqual(['BOL']);
    expect(statesNamedIn('bolivia plurinational state of', STATES)).toEqual(['BOL']);
    expect(statesNamedIn('Francia y Mexico', STATES)).toEqual(['FRA', 'MEX']);
    // Sorted by ISO3, whatever the order of the register or of the text, names and codes together.
    expect(statesNamedIn('Mexico and Andorra', STATES)).toEqual(['AND', 'MEX']);
    expect(statesNamedIn('Peru, FRA', STATES)).toEqual(['FRA', 'PER']);
    expect(statesNamedIn('Frances Mexicoland Nigeria', STATES)).toEqual([]);
    expect(statesNamedIn('', STATES)).toEqual([]);
  });

  it('counts a name inside a longer name of another State at the same place once, for the longer', () => {
    expect(statesNamedIn('Guinea-Bissau', STATES)).toEqual(['GNB']);
    expect(statesNamedIn('Guinea', STATES)).toEqual(['GIN']);
    expect(statesNamedIn('Guinea and Guinea Bissau', STATES)).toEqual(['GIN', 'GNB']);
    expect(statesNamedIn('United Kingdom of Great Britain and Northern Ireland', STATES)).toEqual(['GBR']);
    expect(statesNamedIn('Ireland, United Kingdom of Great Britain and Northern Ireland', STATES)).toEqual(['GBR', 'IRL']);
    // Two States of the same name at the same place are both named (neither is longer).
    const twins: NamedState[] = [
      { iso3: 'AAA', names: ['Twin Land'] },
      { iso3: 'BBB', names: ['Twin Land'] },
    ];
    expect(statesNamedIn('from Twin Land', twins)).toEqual(['AAA', 'BBB']);
  });

  it('finds an ISO3 code only in capitals and as a whole word, never a code that is an everyday word', () => {
    expect(statesNamedIn('FRA contribution', STATES)).toEqual(['FRA']);
    expect(statesNamedIn('contribution/MEX/2018', STATES)).toEqual(['MEX']);
    expect(statesNamedIn('fra contribution', STATES)).toEqual([]);
    expect(statesNamedIn('XFRA FRAX FRA1 1FRA', STATES)).toEqual([]);
    expect(statesNamedIn('CONTRIBUTION AND FEES PER YEAR CAN FIN', STATES)).toEqual([]);
    expect(statesNamedIn('ZZZ', STATES)).toEqual([]);
  });

  it('finds any State named anywhere among other words (property)', () => {
    const filler = fc.array(fc.constantFrom('contribution', 'payment', 'of', 'the', 'kingdom', 'republic', '2018', 'CHF', '/', '-'), { maxLength: 6 }).map((a) => a.join(' '));
    fc.assert(
      fc.property(fc.constantFrom(...STATES), fc.nat(2), fc.boolean(), filler, filler, (state, which, upper, before, after) => {
        const name = state.names[which % state.names.length]!;
        const text = `${before} ${upper ? name.toUpperCase() : name} ${after}`;
        expect(statesNamedIn(text, STATES)).toContain(state.iso3);
        expect(statesNamedIn(`${before} ${state.iso3.toLowerCase()} ${after}`, STATES)).toEqual([]);
      }),
    );
  });
});
