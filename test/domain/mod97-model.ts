/**
 * Independent model of ISO 7064 MOD 97-10 (IBAN, ISO 13616; creditor
 * reference, ISO 11649), written for the tests: letters looked up in an
 * alphabet string (A=10 … Z=35), not by char-code arithmetic, and the whole
 * number reduced at once with BigInt, not piecewise — never through the
 * modules under test.
 */
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALNUM = `${LETTERS}0123456789`;

export function mod97Model(alnum: string): number {
  let digits = '';
  for (const ch of alnum) {
    const letter = LETTERS.indexOf(ch);
    if (letter >= 0) digits += String(letter + 10);
    else if (ch >= '0' && ch <= '9') digits += ch;
    else throw new Error(`model: not alphanumeric: ${ch}`);
  }
  return Number(BigInt(digits) % 97n);
}
