/**
 * Text for the Swiss QR-bill's data fields (creditor, debtor, message): the
 * character set of the SIX Implementation Guidelines is Basic Latin, Latin-1
 * Supplement, Latin Extended-A, Ș ș Ț ț and €. Anything else becomes its
 * ASCII look-alike (’ → ', – → -), its base letter, or "." as a last resort.
 */
const LOOK_ALIKE: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u02bc': "'", '\u2032': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2026': '...', '\u202f': ' ', '\u2007': ' ', '\u2009': ' ', '\u2002': ' ', '\u2003': ' ', '\t': ' ',
};

function allowed(cp: number): boolean {
  return (
    (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0x17f) || (cp >= 0x218 && cp <= 0x21b) || cp === 0x20ac
  );
}

export function toQrText(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    if (allowed(ch.codePointAt(0) ?? 0)) out += ch;
    else if (LOOK_ALIKE[ch] !== undefined) out += LOOK_ALIKE[ch];
    else {
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += base !== '' && [...base].every((c) => allowed(c.codePointAt(0) ?? 0)) ? base : '.';
    }
  }
  return out;
}
