import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ARTICLES,
  DEFAULT_CONVENTION,
  NUMBER_CONVENTIONS,
  NUMBER_LOCALE_TAGS,
  NUMBER_LOCALES,
  QR_NAME_MAX,
  missionAddressee,
  missionAddresseeLines,
  numberConvention,
  qrDebtorName,
  withPreposition,
  type AddresseeLang,
} from '../../src/domain/addressee.js';

const UK = {
  en: { article: 'the', name: 'United Kingdom of Great Britain and Northern Ireland' },
  fr: { article: 'le', name: 'Royaume-Uni de Grande-Bretagne et d’Irlande du Nord' },
  es: { article: 'el', name: 'Reino Unido de Gran Bretaña e Irlanda del Norte' },
};

const lang = fc.constantFrom<AddresseeLang>('en', 'fr', 'es');
/** A name that does not start with a vowel, so that French "de" is never elided. */
const consonantName = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `N${s}`);
const anyName = fc.string({ maxLength: 120, unit: 'grapheme' });

/** The model: the words before the name, per language and article (French names not starting with a vowel). */
const BEFORE: Record<AddresseeLang, Record<string, string>> = {
  en: { the: 'of the ', '': 'of ' },
  fr: { le: 'du ', la: 'de la ', 'l’': 'de l’', les: 'des ', '': 'de ' },
  es: { el: 'del ', la: 'de la ', los: 'de los ', las: 'de las ', '': 'de ' },
};

describe('the articles', () => {
  it('are the ones each language has', () => {
    expect(ARTICLES).toEqual({ en: ['the', ''], fr: ['le', 'la', 'l’', 'les', ''], es: ['el', 'la', 'los', 'las', ''] });
  });
});

describe('withPreposition', () => {
  it('contracts the article after of/de as the model says, for every article of every language', () => {
    fc.assert(
      fc.property(lang, consonantName, fc.nat(), (l, name, i) => {
        const articles = ARTICLES[l];
        const article = articles[i % articles.length]!;
        expect(withPreposition(l, { article, name })).toBe(BEFORE[l][article] + name);
      }),
    );
  });

  it('gives the examples of the issue', () => {
    expect(withPreposition('en', UK.en)).toBe('of the United Kingdom of Great Britain and Northern Ireland');
    expect(withPreposition('en', { article: '', name: 'France' })).toBe('of France');
    expect(withPreposition('fr', { article: 'la', name: 'France' })).toBe('de la France');
    expect(withPreposition('fr', { article: 'le', name: 'Mexique' })).toBe('du Mexique');
    expect(withPreposition('fr', { article: 'l’', name: 'Afghanistan' })).toBe('de l’Afghanistan');
    expect(withPreposition('fr', { article: 'les', name: 'Pays-Bas' })).toBe('des Pays-Bas');
    expect(withPreposition('fr', { article: '', name: 'Monaco' })).toBe('de Monaco');
    expect(withPreposition('es', UK.es)).toBe('del Reino Unido de Gran Bretaña e Irlanda del Norte');
    expect(withPreposition('es', { article: 'los', name: 'Países Bajos' })).toBe('de los Países Bajos');
    expect(withPreposition('es', { article: 'las', name: 'Islas Cook' })).toBe('de las Islas Cook');
    expect(withPreposition('es', { article: 'la', name: 'India' })).toBe('de la India');
    expect(withPreposition('es', { article: '', name: 'México' })).toBe('de México');
  });

  it('elides French "de" before a vowel when the name takes no article, and only then', () => {
    for (const v of ['a', 'e', 'i', 'o', 'u', 'y', 'à', 'â', 'ä', 'é', 'è', 'ê', 'ë', 'î', 'ï', 'ô', 'ö', 'û', 'ù', 'ü', 'ÿ', 'æ', 'œ']) {
      expect(withPreposition('fr', { article: '', name: `${v}x` })).toBe(`d’${v}x`);
      expect(withPreposition('fr', { article: '', name: `${v.toUpperCase()}x` })).toBe(`d’${v.toUpperCase()}x`);
    }
    expect(withPreposition('fr', { article: '', name: 'Israël' })).toBe('d’Israël');
    expect(withPreposition('fr', { article: '', name: 'Haïti' })).toBe('de Haïti');
    expect(withPreposition('fr', { article: '', name: 'Belize' })).toBe('de Belize');
    // The vowel must be the first letter.
    expect(withPreposition('fr', { article: '', name: 'Tonga' })).toBe('de Tonga');
    expect(withPreposition('fr', { article: 'la', name: 'Estonie' })).toBe('de la Estonie');
    expect(withPreposition('en', { article: '', name: 'Ireland' })).toBe('of Ireland');
    expect(withPreposition('es', { article: '', name: 'Irlanda' })).toBe('de Irlanda');
  });
});

describe('missionAddressee', () => {
  it('reads as the issue expects in the three languages', () => {
    expect(missionAddressee('en', UK.en)).toBe(
      'Permanent Mission of the United Kingdom of Great Britain and Northern Ireland to the United Nations Office and other international organizations in Geneva',
    );
    expect(missionAddressee('fr', { article: 'la', name: 'France' })).toBe(
      'Mission permanente de la France auprès de l’Office des Nations Unies et des autres organisations internationales à Genève',
    );
    expect(missionAddressee('es', { article: '', name: 'México' })).toBe(
      'Misión Permanente de México ante la Oficina de las Naciones Unidas y otros organismos internacionales en Ginebra',
    );
  });

  it('is its two printed lines joined by a space; the first names the Mission, the second the Office', () => {
    fc.assert(
      fc.property(lang, consonantName, fc.nat(), (l, name, i) => {
        const formal = { article: ARTICLES[l][i % ARTICLES[l].length]!, name };
        const lines = missionAddresseeLines(l, formal);
        expect(lines).toHaveLength(2);
        expect(missionAddressee(l, formal)).toBe(`${lines[0]} ${lines[1]}`);
        expect(lines[0]).toBe(`${{ en: 'Permanent Mission', fr: 'Mission permanente', es: 'Misión Permanente' }[l]} ${withPreposition(l, formal)}`);
      }),
    );
    expect(missionAddresseeLines('fr', { article: 'les', name: 'Pays-Bas' })).toEqual([
      'Mission permanente des Pays-Bas',
      'auprès de l’Office des Nations Unies et des autres organisations internationales à Genève',
    ]);
  });
});

describe('qrDebtorName', () => {
  const formal = fc.record({ article: fc.constantFrom('the', '', 'le', 'la', 'l’', 'les', 'el', 'los', 'las'), name: anyName });

  it('is never longer than 70 characters (UTF-16 units, so never more code points either)', () => {
    expect(QR_NAME_MAX).toBe(70);
    fc.assert(
      fc.property(lang, fc.option(formal, { nil: undefined }), anyName, (l, f, short) => {
        const name = qrDebtorName(l, f, short);
        expect(name.length).toBeLessThanOrEqual(70);
      }),
    );
  });

  it('is the Mission with its formal name when that fits', () => {
    fc.assert(
      fc.property(lang, formal, anyName, (l, f, short) => {
        const full = missionAddresseeLines(l, f)[0];
        fc.pre(full.length <= 70);
        expect(qrDebtorName(l, f, short)).toBe(full);
      }),
    );
    expect(qrDebtorName('fr', { article: 'la', name: 'France' }, 'France')).toBe('Mission permanente de la France');
    // Exactly 70 characters still fits.
    const seventy = { article: '', name: 'X'.repeat(70 - 'Permanent Mission of '.length) };
    expect(qrDebtorName('en', seventy, 'Y')).toBe(`Permanent Mission of ${seventy.name}`);
  });

  it('falls back to the short name with the formal article when it begins the formal name, else with none', () => {
    const long = 'Z'.repeat(60);
    expect(qrDebtorName('en', { article: 'the', name: `Union of ${long}` }, 'Union')).toBe('Permanent Mission of the Union');
    expect(qrDebtorName('fr', { article: 'la', name: `République ${long}` }, 'Bolivie')).toBe('Mission permanente de Bolivie');
    expect(qrDebtorName('es', { article: 'el', name: `Reino ${long}` }, 'Reino')).toBe('Misión Permanente del Reino');
    expect(qrDebtorName('es', { article: 'el', name: `Estado Plurinacional ${long}` }, 'Bolivia')).toBe('Misión Permanente de Bolivia');
    // Exactly 70 with the short name still fits.
    const short = 'S'.repeat(70 - 'Permanent Mission of '.length);
    expect(qrDebtorName('en', { article: '', name: `${short}${long}` }, short)).toBe(`Permanent Mission of ${short}`);
  });

  it('is the short name when nothing else fits, cut to 70 characters without a split character or a trailing space', () => {
    expect(qrDebtorName('en', UK.en, UK.en.name)).toBe(UK.en.name);
    expect(qrDebtorName('fr', UK.fr, UK.fr.name)).toBe(UK.fr.name);
    expect(qrDebtorName('es', undefined, 'México')).toBe('México');
    expect(qrDebtorName('en', undefined, 'A'.repeat(70))).toBe('A'.repeat(70));
    expect(qrDebtorName('en', undefined, 'A'.repeat(71))).toBe('A'.repeat(70));
    expect(qrDebtorName('en', undefined, `${'A'.repeat(69)}😀B`)).toBe('A'.repeat(69));
    expect(qrDebtorName('en', undefined, `${'A'.repeat(68)}😀B`)).toBe(`${'A'.repeat(68)}😀`);
    expect(qrDebtorName('en', undefined, `${'A'.repeat(69)} B`)).toBe('A'.repeat(69));
    expect(qrDebtorName('en', { article: 'the', name: 'X'.repeat(80) }, 'B'.repeat(75))).toBe('B'.repeat(70));
  });
});

describe('numberConvention', () => {
  /** The convention a locale's CLDR separators give (the oracle: the ICU data of Node). */
  function cldr(locale: string): string {
    const parts = new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).formatToParts(1234567.5);
    const group = parts.find((p) => p.type === 'group')!.value;
    const decimal = parts.find((p) => p.type === 'decimal')!.value;
    const key = `${group === '\u00a0' || group === '\u202f' ? ' ' : group}${decimal}`;
    return ({ ',.': 'comma-dot', ' ,': 'space-comma', '.,': 'dot-comma', "'.": 'apostrophe-dot', '’.': 'apostrophe-dot' } as Record<string, string>)[key] ?? key;
  }

  it('follows CLDR for every supported locale but fr-CH, which writes 1’234.56 as the rest of Switzerland', () => {
    for (const tag of NUMBER_LOCALE_TAGS) {
      for (const l of ['en', 'fr', 'es'] as const) expect(numberConvention(tag, l), tag).toBe(tag === 'fr-CH' ? 'apostrophe-dot' : cldr(tag));
    }
    expect(cldr('fr-CH')).toBe('space-comma');
    expect(NUMBER_LOCALE_TAGS).toEqual(Object.keys(NUMBER_LOCALES));
    expect(NUMBER_LOCALE_TAGS).toEqual(expect.arrayContaining(['es-MX', 'es-ES', 'fr-FR', 'fr-CH', 'de-CH', 'en-GB', 'en-US']));
    for (const c of Object.values(NUMBER_LOCALES)) expect(NUMBER_CONVENTIONS).toContain(c);
  });

  it('gives the issue’s examples', () => {
    expect(numberConvention('es-MX', 'es')).toBe('comma-dot');
    expect(numberConvention('es-ES', 'es')).toBe('dot-comma');
    expect(numberConvention('fr-FR', 'fr')).toBe('space-comma');
    expect(numberConvention('de-CH', 'en')).toBe('apostrophe-dot');
    expect(numberConvention('en-GB', 'en')).toBe('comma-dot');
  });

  it('defaults to the language’s convention without a locale, or with one not supported', () => {
    expect(DEFAULT_CONVENTION).toEqual({ en: 'comma-dot', fr: 'space-comma', es: 'dot-comma' });
    expect(NUMBER_CONVENTIONS).toEqual(['comma-dot', 'space-comma', 'dot-comma', 'apostrophe-dot']);
    fc.assert(
      fc.property(lang, fc.option(fc.string(), { nil: null }), (l, tag) => {
        fc.pre(tag === null || !NUMBER_LOCALE_TAGS.includes(tag));
        expect(numberConvention(tag, l)).toBe(DEFAULT_CONVENTION[l]);
      }),
    );
    for (const l of ['en', 'fr', 'es'] as const) {
      expect(numberConvention('toString', l)).toBe(DEFAULT_CONVENTION[l]);
      expect(numberConvention('__proto__', l)).toBe(DEFAULT_CONVENTION[l]);
      expect(numberConvention(null, l)).toBe(DEFAULT_CONVENTION[l]);
    }
  });
});
