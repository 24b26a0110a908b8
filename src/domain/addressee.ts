/**
 * How a State's Permanent Mission in Geneva is addressed (SPEC 9.10): its
 * formal name with the article it takes in each working language, the
 * contraction of that article after "of"/"de", the addressee lines of a
 * document, the QR-bill debtor name (at most 70 characters), and the
 * number convention of the State (how it writes 1,234.56). Pure: no I/O.
 */

export type AddresseeLang = 'en' | 'fr' | 'es';

/** The articles a formal name may take, per language ("" = none). */
export const ARTICLES = {
  en: ['the', ''],
  fr: ['le', 'la', 'l’', 'les', ''],
  es: ['el', 'la', 'los', 'las', ''],
} as const satisfies Record<AddresseeLang, readonly string[]>;

export type Article<L extends AddresseeLang = AddresseeLang> = (typeof ARTICLES)[L][number];

/** A formal name and its article in one language, e.g. fr { article: "le", name: "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord" }. */
export interface FormalName {
  article: string;
  name: string;
}

export type FormalNames = { en?: FormalName | undefined; fr?: FormalName | undefined; es?: FormalName | undefined };

/** Vowels (with their accented forms) before which French "de" elides to "d’" when a name takes no article. */
const FRENCH_VOWEL = /^[aeiouyàâäéèêëîïôöûùüÿæœ]/i;

/**
 * The name after the preposition "of" (en) or "de" (fr, es), with the
 * article contracted as the language requires:
 * en "of the Netherlands", "of France";
 * fr "de la France", "du Mexique" (de + le), "de l’Afghanistan" (de + l’, no
 * space after the apostrophe), "des Pays-Bas" (de + les), "de Monaco" (no
 * article) and "d’Israël" (no article, the name starts with a vowel — a mute
 * h is not elided: give such a name its article in the data instead);
 * es "del Reino Unido" (de + el), "de la India", "de los Países Bajos",
 * "de las Islas Salomón", "de México".
 */
export function withPreposition(lang: AddresseeLang, formal: FormalName): string {
  const { article, name } = formal;
  if (lang === 'en') return article === 'the' ? `of the ${name}` : `of ${name}`;
  if (lang === 'fr') {
    if (article === 'le') return `du ${name}`;
    if (article === 'les') return `des ${name}`;
    if (article === 'la') return `de la ${name}`;
    if (article === 'l’') return `de l’${name}`;
    return FRENCH_VOWEL.test(name) ? `d’${name}` : `de ${name}`;
  }
  if (article === 'el') return `del ${name}`;
  if (article === '') return `de ${name}`;
  return `de ${article} ${name}`;
}

const MISSION: Record<AddresseeLang, { head: string; tail: string }> = {
  en: { head: 'Permanent Mission', tail: 'to the United Nations Office and other international organizations in Geneva' },
  fr: {
    head: 'Mission permanente',
    tail: 'auprès de l’Office des Nations Unies et des autres organisations internationales à Genève',
  },
  es: { head: 'Misión Permanente', tail: 'ante la Oficina de las Naciones Unidas y otros organismos internacionales en Ginebra' },
};

/**
 * The addressee as printed: two lines, "Permanent Mission of the Netherlands"
 * and "to the United Nations Office and other international organizations in
 * Geneva" (and their French and Spanish equivalents).
 */
export function missionAddresseeLines(lang: AddresseeLang, formal: FormalName): [string, string] {
  const m = MISSION[lang];
  return [`${m.head} ${withPreposition(lang, formal)}`, m.tail];
}

/** The addressee on one line: "Mission permanente de la France auprès de l’Office des Nations Unies …". */
export function missionAddressee(lang: AddresseeLang, formal: FormalName): string {
  return missionAddresseeLines(lang, formal).join(' ');
}

/** The QR-bill's limit on a name (SIX IG QR-bill: 70 characters). */
export const QR_NAME_MAX = 70;

/** The first `max` characters (code points) of a text, never splitting a surrogate pair, without trailing spaces. */
function cut(text: string, max: number): string {
  const chars = Array.from(text);
  let out = '';
  for (const ch of chars) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.trimEnd();
}

/**
 * The debtor's name on the QR-bill, at most 70 characters: "Permanent
 * Mission of …" with the formal name when it fits; else "Permanent Mission
 * of …" with the short name (taking the formal name's article when the
 * formal name begins with the short name, none otherwise); else the short
 * name, cut to 70 characters if it is longer still. Without a formal name in
 * the language: the short name.
 */
export function qrDebtorName(lang: AddresseeLang, formal: FormalName | undefined, shortName: string): string {
  if (formal) {
    const full = missionAddresseeLines(lang, formal)[0];
    if (full.length <= QR_NAME_MAX) return full;
    const article = formal.name.startsWith(shortName) ? formal.article : '';
    const short = missionAddresseeLines(lang, { article, name: shortName })[0];
    if (short.length <= QR_NAME_MAX) return short;
  }
  return cut(shortName, QR_NAME_MAX);
}

/**
 * How a State writes numbers: 1,234.56 (comma-dot), 1 234,56 with a
 * no-break space (space-comma), 1.234,56 (dot-comma), 1’234.56
 * (apostrophe-dot).
 */
export const NUMBER_CONVENTIONS = ['comma-dot', 'space-comma', 'dot-comma', 'apostrophe-dot'] as const;
export type NumberConvention = (typeof NUMBER_CONVENTIONS)[number];

/**
 * The supported number locales (BCP 47) and their convention, as CLDR has
 * them (the thin spaces of CLDR printed as no-break spaces), with one
 * choice of ours: Switzerland writes 1’234.56 in all its languages, fr-CH
 * included (CLDR gives fr-CH 1 234,56; Swiss administrations and banks use
 * the apostrophe and the point).
 */
export const NUMBER_LOCALES: Readonly<Record<string, NumberConvention>> = {
  'en-GB': 'comma-dot',
  'en-US': 'comma-dot',
  'en-AU': 'comma-dot',
  'en-CA': 'comma-dot',
  'en-IE': 'comma-dot',
  'en-NZ': 'comma-dot',
  'en-ZA': 'space-comma',
  'es-MX': 'comma-dot',
  'es-US': 'comma-dot',
  'es-GT': 'comma-dot',
  'es-HN': 'comma-dot',
  'es-NI': 'comma-dot',
  'es-SV': 'comma-dot',
  'es-DO': 'comma-dot',
  'es-PA': 'comma-dot',
  'es-PE': 'comma-dot',
  'es-PR': 'comma-dot',
  'es-CU': 'comma-dot',
  'es-419': 'comma-dot',
  'es-ES': 'dot-comma',
  'es-AR': 'dot-comma',
  'es-BO': 'dot-comma',
  'es-CL': 'dot-comma',
  'es-CO': 'dot-comma',
  'es-EC': 'dot-comma',
  'es-PY': 'dot-comma',
  'es-UY': 'dot-comma',
  'es-VE': 'dot-comma',
  'es-CR': 'space-comma',
  'fr-FR': 'space-comma',
  'fr-BE': 'space-comma',
  'fr-CA': 'space-comma',
  'fr-MC': 'space-comma',
  'fr-SN': 'space-comma',
  'fr-CI': 'space-comma',
  'fr-CM': 'space-comma',
  'fr-TN': 'space-comma',
  'fr-LB': 'space-comma',
  'fr-LU': 'dot-comma',
  'fr-CH': 'apostrophe-dot',
  'de-CH': 'apostrophe-dot',
  'de-LI': 'apostrophe-dot',
  'it-CH': 'apostrophe-dot',
  'de-DE': 'dot-comma',
  'de-AT': 'space-comma',
  'de-LU': 'dot-comma',
  'it-IT': 'dot-comma',
  'pt-BR': 'dot-comma',
  'pt-PT': 'space-comma',
  'nl-NL': 'dot-comma',
  'nl-BE': 'dot-comma',
  'da-DK': 'dot-comma',
  'sv-SE': 'space-comma',
  'nb-NO': 'space-comma',
  'fi-FI': 'space-comma',
  'is-IS': 'dot-comma',
  'cs-CZ': 'space-comma',
  'sk-SK': 'space-comma',
  'pl-PL': 'space-comma',
  'hu-HU': 'space-comma',
  'bg-BG': 'space-comma',
  'hr-HR': 'dot-comma',
  'sl-SI': 'dot-comma',
  'lt-LT': 'space-comma',
  'sq-AL': 'space-comma',
  'bs-BA': 'dot-comma',
  'sr-ME': 'dot-comma',
  'mk-MK': 'dot-comma',
  'el-GR': 'dot-comma',
  'ro-RO': 'dot-comma',
  'mt-MT': 'comma-dot',
  'ja-JP': 'comma-dot',
};

/** The supported number locale tags, in the order above. */
export const NUMBER_LOCALE_TAGS: readonly string[] = Object.keys(NUMBER_LOCALES);

/** The convention of a document language when the State has no number locale: en 1,234.56, fr 1 234,56, es 1.234,56. */
export const DEFAULT_CONVENTION: Record<AddresseeLang, NumberConvention> = { en: 'comma-dot', fr: 'space-comma', es: 'dot-comma' };

/** The State's number convention: its locale's when it has a supported one, else the default of the language. */
export function numberConvention(locale: string | null, lang: AddresseeLang): NumberConvention {
  if (locale !== null && Object.hasOwn(NUMBER_LOCALES, locale)) return NUMBER_LOCALES[locale]!;
  return DEFAULT_CONVENTION[lang];
}
