/**
 * The text modules of the bank, reserve and expenditures pages: French and
 * Spanish have every key of English (also checked by the compiler), each of
 * the same kind, and leave nothing in English but codes and words spelt
 * alike; French puts a no-break space before its colons and semicolons.
 */
import { describe, expect, it } from 'vitest';
import { BANK_TEXT } from '../../src/http/pages/bank-text.js';
import { EXPENDITURES_TEXT } from '../../src/http/pages/expenditures-text.js';
import { RESERVE_TEXT } from '../../src/http/pages/reserve-text.js';
import { serviceMessageIn } from '../../src/http/pages/service-messages.js';

const MODULES = { bank: BANK_TEXT, reserve: RESERVE_TEXT, expenditures: EXPENDITURES_TEXT } as const;
/** Texts that are the same in the three languages: codes, units, words spelt alike. */
const SAME = new Set(['IBAN', 'Total', 'Date', 'Type', 'Contribution', 'Transfert', '% dépensé']);

const render = (v: unknown, sample: unknown[]): string[] =>
  typeof v === 'function' ? [String((v as (...a: unknown[]) => unknown)(...sample))] : typeof v === 'object' && v !== null ? Object.values(v).map(String) : [String(v)];

describe.each(Object.entries(MODULES))('the %s text', (_name, texts) => {
  it.each(['fr', 'es'] as const)('%s: every key, of the same kind, translated', (lang) => {
    const en = texts.en as Record<string, unknown>;
    const other = texts[lang] as Record<string, unknown>;
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    const same: string[] = [];
    for (const [k, v] of Object.entries(en)) {
      expect(typeof other[k], k).toBe(typeof v);
      if (typeof v === 'function') expect((other[k] as () => string).length, k).toBe((v as () => string).length);
      const sample = Array.from({ length: typeof v === 'function' ? v.length : 0 }, (_, i) => (i === 0 ? 2 : `X${i}`));
      const a = render(v, sample);
      const b = render(other[k], sample);
      a.forEach((x, i) => {
        if (x === b[i] && !SAME.has(x)) same.push(`${k}: ${x}`);
      });
      if (lang === 'fr') for (const x of b) expect(x, k).not.toMatch(/[^\u00a0\s][:;?!](\s|$)/u);
    }
    expect(same).toEqual([]);
  });
});

describe('the services’ refusals of these pages', () => {
  it('are said in French and Spanish', () => {
    const m = 'exceeds the operating-cash shortfall on 2018-03-25 (1200.00)';
    expect(serviceMessageIn('fr', m)).toBe('Dépasse le déficit de trésorerie au 2018-03-25 (CHF\u00a01200.00).');
    expect(serviceMessageIn('es', m)).toBe('Supera el déficit de tesorería al 2018-03-25 (CHF\u00a01200.00).');
    expect(serviceMessageIn('fr', 'no creditor reference: match it to a State or donor, or book it as other income')).toMatch(/^aucune référence de créancier/);
    expect(serviceMessageIn('es', 'the 2018 budget has lines: give one of staff, travel')).toBe('El presupuesto 2018 tiene partidas: indique una de ellas (staff, travel).');
  });
});

describe('the reserve reversals’ refusals', () => {
  it('are said in French and Spanish', () => {
    expect(serviceMessageIn('fr', 'drawdown 4 has restorations (5, 6): reverse them first')).toBe('Le prélèvement 4 a des reconstitutions (5, 6)\u00a0: contre-passez-les d’abord.');
    expect(serviceMessageIn('es', 'reserve movement 3 was already reversed on 2018-01-02')).toBe('El movimiento 3 de la reserva ya se revirtió el 2018-01-02.');
  });
});

describe('every reason a bank line waits in the queue (services/bank/matching.ts decide)', () => {
  // The reasons as decide() writes them, with sample values.
  const what = 'invoice ISU-2018-0035 of FRA';
  const REASONS = [
    'money out: book it as bank charges, or ignore it with a reason',
    'no creditor reference: match it to a State or donor, or book it as other income',
    'reference RF18ISU20180001 is none of our invoices or reminders',
    'reference 210000000003139471430009017 is not an RF creditor reference of ours (a QR reference, or a typo)',
    `the reference is ${what}, but the account is in EUR: payments are recorded in CHF`,
    `the reference is ${what}, cancelled by CN-2018-0035: the money is FRA's; match it to FRA (invoice ISU-2018-0104 was issued in its place)`,
    `the reference is ${what}, cancelled by CN-2018-0035: the money is FRA's; match it to FRA`,
    `the reference is ${what}, but the money came to the reserve account: an assessed contribution is operating cash; match it as a contribution to the reserve, or ignore it and have the bank move it`,
    `the reference is ${what}, but the value date 2017-12-01 is in a closed period (locked through 2017-12-31)`,
    `the reference is ${what}, but the value date 2027-01-04 is in the future`,
    `the reference is ${what}, but bank reference EXB190122CR00068 is already on payment 12: the same transfer keyed by hand? ignore the line once checked`,
  ];
  it.each(['fr', 'es'] as const)('are said in %s, with their figures', (lang) => {
    for (const reason of REASONS) {
      const said = serviceMessageIn(lang, reason);
      expect(said, reason).not.toBe(reason);
      expect(said, reason).not.toMatch(/\b(the|but|is|match it|money)\b/);
      for (const code of reason.match(/\b(?:ISU-\d{4}-\d{4}|CN-\d{4}-\d{4}|\d{4}-\d\d-\d\d|EUR)\b/g) ?? []) expect(said, reason).toContain(code);
      if (lang === 'fr') expect(said, reason).not.toMatch(/[^\u00a0\s][:;?!](\s|$)/u);
    }
  });
});
