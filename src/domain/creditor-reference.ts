/**
 * ISO 11649 structured creditor reference ("RF" + 2 check digits + up to 21
 * alphanumerics), the reference a payer quotes so a payment matches its
 * invoice. Check digits by ISO 7064 MOD 97-10, as for IBANs.
 */

const BODY = /^[A-Z0-9]{1,21}$/;

/** Letters to numbers (A=10 … Z=35), then the remainder mod 97, computed piecewise. */
function mod97(alnum: string): number {
  let remainder = 0;
  for (const ch of alnum) {
    const code = ch.charCodeAt(0);
    // Only A–Z and 0–9 reach here (the callers check the format first): a letter is any code from 65 ('A') on.
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder;
}

export function creditorReference(body: string): string {
  const b = body.toUpperCase();
  if (!BODY.test(b)) throw new Error(`a creditor reference body is 1–21 letters or digits, got ${JSON.stringify(body)}`);
  const check = 98 - mod97(`${b}RF00`);
  return `RF${String(check).padStart(2, '0')}${b}`;
}

/** Valid when well formed and (body + "RF" + check digits) mod 97 = 1. Spaces are ignored. */
export function isValidCreditorReference(reference: string): boolean {
  const r = reference.replace(/\s/g, '').toUpperCase();
  if (!/^RF[0-9]{2}[A-Z0-9]{1,21}$/.test(r)) return false;
  return mod97(`${r.slice(4)}${r.slice(0, 4)}`) === 1;
}

/** "RF18ISU20180001" → "RF18 ISU2 0180 001" (the printed form, in groups of four). */
export function groupsOfFour(value: string): string {
  return value.replace(/\s/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** The reference of invoice `seq` of budget `year`: RF.. + "ISU" + year + 4-digit sequence. */
export function invoiceCreditorReference(prefix: string, year: number, seq: number): string {
  return creditorReference(`${prefix.replace(/[^A-Za-z0-9]/g, '')}${year}${String(seq).padStart(4, '0')}`);
}
