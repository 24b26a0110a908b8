/**
 * Bank lines meet what we issued (SPEC 9.6). A structured creditor
 * reference (RF) decides on its own; an invoice number or a State named in
 * the payer's free text is only ever a suggestion. Pure.
 */
import { compareText } from './compare.js';
import { isValidCreditorReference } from './creditor-reference.js';

/** A reference as a payer may type it ("rf18 5390 0754 7034") in its one written form ("RF18539007547034"). */
export function normaliseReference(reference: string): string {
  return reference.replace(/\s/g, '').toUpperCase();
}

/** The RF creditor reference a line quotes, normalised; null when it quotes none, or one whose check digits fail (a QR reference, a typo). */
export function creditorReferenceOf(reference: string | null): string | null {
  if (reference === null) return null;
  const r = normaliseReference(reference);
  return isValidCreditorReference(r) ? r : null;
}

/**
 * Invoice numbers named in free text, in their written form
 * (`{prefix}-{year}-{seq}`, the sequence on four digits), in order of first
 * mention: "isu 2018 17", "ISU-2018-0017" and "ISU2018/0017" all name
 * ISU-2018-0017. A number glued to more letters or digits is not one.
 */
export function invoiceNumbersIn(text: string, prefix: string): string[] {
  const p = prefix.toUpperCase();
  const found = new Set<string>();
  const re = new RegExp(`(?<![A-Z0-9])${p}[-\\s./_]*((?:19|20)[0-9]{2})[-\\s./_]*([0-9]{1,4})(?![0-9])`, 'g');
  for (const m of text.toUpperCase().matchAll(re)) {
    const seq = Number.parseInt(m[2]!, 10);
    if (seq > 0) found.add(`${p}-${m[1]}-${String(seq).padStart(4, '0')}`);
  }
  return [...found];
}

export interface NamedState {
  iso3: string;
  /** Its names (English, French, Spanish), as registered. */
  names: readonly string[];
}

/** Lower case, no accents, every run of other characters one space: "Côte d’Ivoire" → "cote d ivoire". */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** ISO3 codes that are also everyday words in capitals ("AND", "PER"…): named by code they would be guessed too often. */
const WORD_CODES = new Set(['AND', 'CAN', 'FIN', 'PER']);

/**
 * The States a free text names, as whole words, sorted by ISO3: by a name in
 * any of its languages (case and accents ignored; "Bolivia" for "Bolivia
 * (Plurinational State of)"), or by its ISO3 code written in capitals. A
 * name inside a longer name found at the same place is not counted
 * ("Ireland" within "United Kingdom of Great Britain and Northern Ireland",
 * "Guinea" within "Guinea-Bissau").
 */
export function statesNamedIn(text: string, states: readonly NamedState[]): string[] {
  const folded = ` ${foldText(text)} `;
  const spans: { iso3: string; start: number; end: number }[] = [];
  for (const s of states)
    for (const name of s.names)
      for (const form of new Set([foldText(name), foldText(name.split('(')[0]!)])) {
        const needle = ` ${form} `;
        for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) spans.push({ iso3: s.iso3, start: at, end: at + needle.length });
      }
  const named = spans
    .filter((a) => !spans.some((b) => b.start <= a.start && a.end <= b.end && b.end - b.start > a.end - a.start))
    .map((a) => a.iso3);
  const codes = new Set(states.map((s) => s.iso3));
  const coded = [...text.matchAll(/(?<![A-Za-z0-9])[A-Z]{3}(?![A-Za-z0-9])/g)].map((m) => m[0]).filter((c) => codes.has(c) && !WORD_CODES.has(c));
  return [...new Set([...named, ...coded])].sort(compareText);
}
