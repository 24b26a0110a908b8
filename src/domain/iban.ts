/** IBAN checksum (ISO 13616, MOD 97-10), for validating bank settings. */
export function isValidIban(iban: string): boolean {
  const s = iban.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  let remainder = 0;
  for (const ch of `${s.slice(4)}${s.slice(0, 4)}`) {
    const code = ch.charCodeAt(0);
    // Only A–Z and 0–9 reach here (the format is checked first): a letter is any code from 65 ('A') on.
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** A Swiss QR-IBAN has an institution id (positions 5–9) of 30000–31999; it takes only QR references, not RF ones. */
export function isQrIban(iban: string): boolean {
  const s = iban.replace(/\s/g, '').toUpperCase();
  if (!/^(CH|LI)/.test(s)) return false;
  const iid = Number.parseInt(s.slice(4, 9), 10);
  return iid >= 30000 && iid <= 31999;
}

/**
 * Whether the Swiss QR-bill can carry the IBAN as its creditor account: the
 * QR-bill (SIX IG QR-bill, and the swissqrbill library that draws it) takes
 * only Swiss and Liechtenstein accounts, 21 characters.
 */
export function isQrBillIban(iban: string): boolean {
  return /^(CH|LI)[0-9]{2}[A-Z0-9]{17}$/.test(iban.replace(/\s/g, '').toUpperCase());
}
