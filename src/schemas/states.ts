import { z } from 'zod';
import { iso3, isoDate, nonEmptyText } from './common.js';
import { ARTICLES, NUMBER_LOCALE_TAGS } from '../domain/addressee.js';

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export const INSTRUMENTS = ['ratification', 'accession', 'acceptance', 'approval'] as const;

const billing = z.strictObject({
  addressLines: z.array(nonEmptyText(200)).max(10).default([]),
  emails: z.array(z.email({ message: 'must be an e-mail address' })).max(10).default([]),
});

const formalName = (articles: readonly [string, ...string[]], example: { article: string; name: string }) =>
  z.strictObject({ article: z.enum(articles).meta({ description: 'The article the name takes ("" for none)' }), name: nonEmptyText(200) }).meta({ example });

/** The Mission's formal name with its article, per language (SPEC 9.10). */
export const formalNames = z
  .strictObject({
    en: formalName(ARTICLES.en, { article: 'the', name: 'United Kingdom of Great Britain and Northern Ireland' }).optional(),
    fr: formalName(ARTICLES.fr, { article: 'la', name: 'France' }).optional(),
    es: formalName(ARTICLES.es, { article: '', name: 'México' }).optional(),
  })
  .meta({ description: 'Formal name and article per language, as the Mission titles itself ("Permanent Mission of the …")' });

/** The supported number locales (BCP 47), e.g. "es-MX" (1,234.56), "es-ES" (1.234,56), "fr-CH" (1’234.56). */
export const numberLocale = z
  .enum(NUMBER_LOCALE_TAGS as [string, ...string[]])
  .meta({ description: 'How the State writes numbers, as a BCP 47 tag of the supported list; null: the default of its language', example: 'es-MX' });

/** The Mission's postal address in Geneva, structured as the Swiss QR-bill's debtor address. */
export const missionAddress = z
  .strictObject({
    street: nonEmptyText(70).meta({ description: 'Street or post-office box, e.g. "Case postale 123"' }),
    buildingNumber: nonEmptyText(16).optional(),
    postalCode: nonEmptyText(16),
    city: nonEmptyText(35),
    countryCode: z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. "CH"' }),
  })
  .meta({ example: { street: 'Case postale 123', postalCode: '1211', city: 'Genève', countryCode: 'CH' } });

const stateFields = {
  name: nonEmptyText(200).meta({ description: 'Short name in English' }),
  names: z.strictObject({ fr: nonEmptyText(200).optional(), es: nonEmptyText(200).optional() }).optional(),
  unMember: z.boolean(),
  language: z.enum(LANGUAGES).meta({ description: 'Invoice language' }),
  instrument: z.enum(INSTRUMENTS).nullable().optional(),
  signatureDate: isoDate.nullable().optional(),
  depositDate: isoDate.nullable().optional().meta({ description: 'Deposit of the instrument of ratification, accession, acceptance or approval' }),
  entryIntoForce: isoDate
    .nullable()
    .optional()
    .meta({ description: 'Explicit entry into force, overriding the Article 17 computation; null or absent to compute it' }),
  withdrawalEffective: isoDate.nullable().optional().meta({ description: 'Date a withdrawal takes effect (Article 20)' }),
  billing: billing.optional(),
  formalNames: formalNames.nullable().optional(),
  numberLocale: numberLocale.nullable().optional(),
  missionAddress: missionAddress.nullable().optional(),
};

type DatesLike = { signatureDate?: string | null; depositDate?: string | null; withdrawalEffective?: string | null; entryIntoForce?: string | null };
function checkDateOrder(v: DatesLike, ctx: z.RefinementCtx) {
  if (v.signatureDate && v.depositDate && v.signatureDate > v.depositDate)
    ctx.addIssue({ code: 'custom', path: ['depositDate'], message: 'must not be before the signature date' });
  if (v.withdrawalEffective && v.entryIntoForce && v.withdrawalEffective <= v.entryIntoForce)
    ctx.addIssue({ code: 'custom', path: ['withdrawalEffective'], message: 'must be after the entry into force' });
}

export const stateCreate = z
  .strictObject({ iso3, ...stateFields })
  .superRefine(checkDateOrder)
  .meta({ id: 'StateCreate' });
export type StateCreate = z.infer<typeof stateCreate>;

export const statePatch = z
  .strictObject({
    name: stateFields.name.optional(),
    names: stateFields.names,
    unMember: z.boolean().optional(),
    language: stateFields.language.optional(),
    instrument: stateFields.instrument,
    signatureDate: stateFields.signatureDate,
    depositDate: stateFields.depositDate,
    entryIntoForce: stateFields.entryIntoForce,
    withdrawalEffective: stateFields.withdrawalEffective,
    billing: stateFields.billing,
    formalNames: stateFields.formalNames,
    numberLocale: stateFields.numberLocale,
    missionAddress: stateFields.missionAddress,
  })
  .superRefine(checkDateOrder)
  .meta({ id: 'StatePatch' });
export type StatePatch = z.infer<typeof statePatch>;

export const stateImport = z.strictObject({ states: z.array(stateCreate).min(1).max(1000) }).meta({ id: 'StateImport' });

export const stateOut = z
  .object({
    iso3: z.string(),
    name: z.string(),
    names: z.object({ en: z.string(), fr: z.string().nullable(), es: z.string().nullable() }),
    unMember: z.boolean(),
    language: z.enum(LANGUAGES),
    instrument: z.enum(INSTRUMENTS).nullable(),
    signatureDate: z.string().nullable(),
    depositDate: z.string().nullable(),
    entryIntoForce: z.string().nullable(),
    entryIntoForceSource: z.enum(['computed', 'explicit']),
    withdrawalEffective: z.string().nullable(),
    billing: z.object({ addressLines: z.array(z.string()), emails: z.array(z.string()) }),
    formalNames: z
      .object({
        en: z.object({ article: z.string(), name: z.string() }).optional(),
        fr: z.object({ article: z.string(), name: z.string() }).optional(),
        es: z.object({ article: z.string(), name: z.string() }).optional(),
      })
      .nullable(),
    numberLocale: z.string().nullable(),
    missionAddress: z
      .object({ street: z.string(), buildingNumber: z.string().optional(), postalCode: z.string(), city: z.string(), countryCode: z.string() })
      .nullable(),
    assessed: z.boolean().optional().meta({ description: 'Whether the State is assessed for the year asked (?year=)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'State' });
export type StateOut = z.infer<typeof stateOut>;
