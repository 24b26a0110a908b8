/**
 * The pages' languages (SPEC 9.9): `t(lang)` gives the message catalogue,
 * `fmt(lang)` the formatters of src/pdf/i18n.ts bound to the same language,
 * so that a page writes its words, its numbers and its dates in one locale.
 */
import { formatDate, formatDecimal, formatInteger, formatMoney, formatPercent, formatShortDate, NBSP } from '../../../pdf/i18n.js';
import type { Lang } from '../../../pdf/types.js';
import { en, type Catalogue } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { Catalogue, Lang };
export const PAGE_LANGS: readonly Lang[] = ['en', 'fr', 'es'];
export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, fr, es };

/** The message catalogue of a language. */
export function t(lang: Lang): Catalogue {
  return CATALOGUES[lang];
}

export function isLang(v: unknown): v is Lang {
  return v === 'en' || v === 'fr' || v === 'es';
}

/** The formatters of a page language: money "590 000,00", "CHF 590 000,00", dates, percentages, counts. */
export interface Formatters {
  lang: Lang;
  money(amount: string): string;
  chf(amount: string): string;
  pct(percent: string): string;
  int(n: number): string;
  decimal(value: string): string;
  date(iso: string): string;
  shortDate(iso: string): string;
}

export function fmt(lang: Lang): Formatters {
  return {
    lang,
    money: (a) => formatMoney(a, lang),
    chf: (a) => `CHF${NBSP}${formatMoney(a, lang)}`,
    pct: (p) => formatPercent(p, lang),
    int: (n) => formatInteger(n, lang),
    decimal: (v) => formatDecimal(v, lang),
    date: (iso) => formatDate(iso, lang),
    shortDate: (iso) => formatShortDate(iso, lang),
  };
}

/**
 * The first of en, fr, es in an Accept-Language header by preference
 * ("fr-CH, fr;q=0.9, en;q=0.8" → fr), or null when it names none of them.
 */
export function fromAcceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .slice(0, 50)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0 && isLang(x.lang))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.lang as Lang | undefined) ?? null;
}

/** The colon before a value: "Balance: …", French "Solde : …" (with a no-break space). */
export function colon(lang: Lang): string {
  return lang === 'fr' ? `${NBSP}: ` : ': ';
}
