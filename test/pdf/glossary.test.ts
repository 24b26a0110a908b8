/**
 * Issue 17: one term per language for the Convention's vocabulary — "Estado
 * parte" / "Estados partes", "État partie" / "États parties", "State Party" /
 * "States Parties" — on every document, and the letterhead in the document's
 * language.
 */
import { describe, expect, it } from 'vitest';
import { renderCreditNotePdf } from '../../src/pdf/credit-note.js';
import { GLOSSARY, LABELS, STATEMENT_LABELS } from '../../src/pdf/i18n.js';
import { renderInvoicePdf } from '../../src/pdf/invoice.js';
import { REMINDER_LABELS, renderReminderPdf } from '../../src/pdf/reminder.js';
import { renderStatementPdf } from '../../src/pdf/statement.js';
import type { Lang } from '../../src/pdf/types.js';
import { pdfText } from '../pdf-text.js';
import { FRANCE, FRANCE_CREDIT_NOTE, IRELAND, IRELAND_CREDIT_NOTE, ISSUER, MEXICO, MEXICO_CREDIT_NOTE } from './fixtures.js';
import { REMINDER_EN, REMINDER_ES, REMINDER_FR } from './reminder-fixtures.js';
import { STATEMENT_CIV, STATEMENT_ESP, STATEMENT_IRL_40 } from './report-fixtures.js';

/** Any spelling of the term other than the glossary's (case and accents matter). */
const WRONG: Record<Lang, RegExp> = {
  en: /\bStates? party\b|\bstates? part(y|ies)\b|\bState Parties\b/,
  fr: /(?<!\p{L})([ÉE]tats? Parties?|Etats? parties?|[ÉE]tat parties)(?!\p{L})/u,
  es: /\bEstados? Partes?\b|\bEstado partes\b/,
};

/** Every string a label table holds, functions called with sample arguments. */
function strings(table: object): string[] {
  const sample = [2018, '2018-03-31', '2018-06-30'];
  const out: string[] = [];
  for (const v of Object.values(table)) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'function') {
      try {
        const r = (v as (...a: unknown[]) => unknown)(...sample);
        if (typeof r === 'string') out.push(r);
      } catch {
        // a label that needs other arguments: its text is checked on the documents below
      }
    }
  }
  return out;
}

const documents: Record<Lang, (() => Promise<Buffer>)[]> = {
  en: [() => renderInvoicePdf(IRELAND, ISSUER), () => renderCreditNotePdf(IRELAND_CREDIT_NOTE, ISSUER), () => renderReminderPdf(REMINDER_EN), () => renderStatementPdf(STATEMENT_IRL_40, ISSUER)],
  fr: [() => renderInvoicePdf(FRANCE, ISSUER), () => renderCreditNotePdf(FRANCE_CREDIT_NOTE, ISSUER), () => renderReminderPdf(REMINDER_FR), () => renderStatementPdf(STATEMENT_CIV, ISSUER)],
  es: [() => renderInvoicePdf(MEXICO, ISSUER), () => renderCreditNotePdf(MEXICO_CREDIT_NOTE, ISSUER), () => renderReminderPdf(REMINDER_ES), () => renderStatementPdf(STATEMENT_ESP, ISSUER)],
};

const LETTERHEAD: Record<Lang, string> = {
  en: 'Implementation Support Unit — Convention on Cluster Munitions',
  fr: 'Unité d’appui à l’application — Convention sur les armes à sous-munitions',
  es: 'Dependencia de Apoyo a la Aplicación — Convención sobre Municiones en Racimo',
};

describe('issue 17: one glossary per language', () => {
  for (const lang of ['en', 'fr', 'es'] as const) {
    it(`${lang}: the labels use only the glossary's "${GLOSSARY[lang].stateParty}" and "${GLOSSARY[lang].statesParties}"`, () => {
      const all = [...strings(LABELS[lang]), ...strings(STATEMENT_LABELS[lang]), ...strings(REMINDER_LABELS[lang])];
      expect(all.length).toBeGreaterThan(40);
      for (const s of all) expect(s, s).not.toMatch(WRONG[lang]);
      expect(all.join(' ')).toContain(GLOSSARY[lang].stateParty);
    });

    it(`${lang}: the invoice, credit note, reminder and statement print the letterhead in ${lang} and only the glossary's terms`, async () => {
      for (const render of documents[lang]) {
        const text = (await pdfText(await render())).replace(/\s+/g, ' ');
        expect(text).toContain(LETTERHEAD[lang]);
        for (const other of (['en', 'fr', 'es'] as const).filter((l) => l !== lang)) expect(text).not.toContain(LETTERHEAD[other]);
        expect(text).not.toMatch(WRONG[lang]);
      }
    });
  }

  it('the wrong spellings are caught (the test can fail)', () => {
    expect('Estado Parte').toMatch(WRONG.es);
    expect('los Estados Partes').toMatch(WRONG.es);
    expect('États Parties').toMatch(WRONG.fr);
    expect('Etat partie').toMatch(WRONG.fr);
    expect('State party').toMatch(WRONG.en);
    expect(GLOSSARY.es.statesParties).not.toMatch(WRONG.es);
    expect(GLOSSARY.fr.statesParties).not.toMatch(WRONG.fr);
  });
});
