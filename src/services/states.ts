/** The register of States Parties (SPEC 2.1). States are created and updated, never deleted. */
import { asc, eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { entryIntoForce as computeEntryIntoForce, isAssessedOn } from '../domain/membership.js';
import { writeAudit } from '../db/repositories/audit.js';
import { states } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { StateCreate, StateOut, StatePatch } from '../schemas/states.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from './errors.js';
import { toCsv } from './csv.js';

type StateRow = typeof states.$inferSelect;

export function toStateOut(row: StateRow, assessedOn?: string): StateOut {
  return {
    iso3: row.iso3,
    name: row.nameEn,
    names: { en: row.nameEn, fr: row.nameFr, es: row.nameEs },
    unMember: row.unMember,
    language: row.language,
    instrument: row.instrument,
    signatureDate: row.signatureDate,
    depositDate: row.depositDate,
    entryIntoForce: row.entryIntoForce,
    entryIntoForceSource: row.entryIntoForceSource,
    withdrawalEffective: row.withdrawalEffective,
    billing: { addressLines: row.billingAddressLines, emails: row.billingEmails },
    formalNames: row.formalNames ?? null,
    numberLocale: row.numberLocale ?? null,
    missionAddress: row.missionAddress ?? null,
    ...(assessedOn !== undefined ? { assessed: isAssessedOn(row, assessedOn) } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Entry into force: the explicit date when given, else Article 17 from the deposit date, else none. */
function resolveEntryIntoForce(depositDate: string | null, explicit: string | null): Pick<StateRow, 'entryIntoForce' | 'entryIntoForceSource'> {
  if (explicit) return { entryIntoForce: explicit, entryIntoForceSource: 'explicit' };
  return { entryIntoForce: depositDate ? computeEntryIntoForce(depositDate) : null, entryIntoForceSource: 'computed' };
}

function checkWithdrawal(row: Pick<StateRow, 'entryIntoForce' | 'withdrawalEffective'>, field = 'withdrawalEffective') {
  if (row.withdrawalEffective && (!row.entryIntoForce || row.withdrawalEffective <= row.entryIntoForce))
    throw new ValidationError([{ field, message: 'a withdrawal must take effect after the entry into force' }]);
}

function rowFromCreate(input: StateCreate, now: string): typeof states.$inferInsert {
  const depositDate = input.depositDate ?? null;
  const row = {
    iso3: input.iso3,
    nameEn: input.name,
    nameFr: input.names?.fr ?? null,
    nameEs: input.names?.es ?? null,
    unMember: input.unMember,
    language: input.language,
    instrument: input.instrument ?? null,
    signatureDate: input.signatureDate ?? null,
    depositDate,
    ...resolveEntryIntoForce(depositDate, input.entryIntoForce ?? null),
    withdrawalEffective: input.withdrawalEffective ?? null,
    billingAddressLines: input.billing?.addressLines ?? [],
    billingEmails: input.billing?.emails ?? [],
    formalNames: input.formalNames ?? null,
    numberLocale: input.numberLocale ?? null,
    missionAddress: input.missionAddress ?? null,
    createdAt: now,
    updatedAt: now,
  };
  checkWithdrawal(row);
  return row;
}

export function findState(db: DbOrTx, iso3: string): StateRow | undefined {
  return db.select().from(states).where(eq(states.iso3, iso3)).get();
}

export function listStates(ctx: Ctx, assessedYear?: number): StateOut[] {
  const rows = ctx.db.select().from(states).orderBy(asc(states.iso3)).all();
  const on = assessedYear === undefined ? undefined : `${assessedYear}-01-01`;
  return rows.map((r) => toStateOut(r, on));
}

export function getState(ctx: Ctx, iso3: string, assessedOn?: string): StateOut {
  const row = findState(ctx.db, iso3);
  if (!row) throw new NotFoundError(`State ${iso3}`);
  return toStateOut(row, assessedOn);
}

function insertStates(tx: DbOrTx, actor: Actor, inputs: StateCreate[], fieldPrefix: (i: number) => string): StateOut[] {
  const now = new Date().toISOString();
  const seen = new Set<string>();
  const out: StateOut[] = [];
  inputs.forEach((input, i) => {
    if (seen.has(input.iso3) || findState(tx, input.iso3))
      throw new ConflictError(`State ${input.iso3} is already in the register; use PATCH /api/v1/states/${input.iso3} to change it`, {
        field: `${fieldPrefix(i)}iso3`,
      });
    seen.add(input.iso3);
    let row: typeof states.$inferInsert;
    try {
      row = rowFromCreate(input, now);
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(e.errors.map((f) => ({ ...f, field: `${fieldPrefix(i)}${f.field}` })));
      throw e;
    }
    const [inserted] = tx.insert(states).values(row).returning().all();
    writeAudit(tx, actor, 'state', input.iso3, { created: toStateOut(inserted!) });
    out.push(toStateOut(inserted!));
  });
  return out;
}

export function createState(ctx: Ctx, actor: Actor, input: StateCreate): StateOut {
  return ctx.db.transaction((tx) => insertStates(tx, actor, [input], () => '')[0]!, { behavior: 'immediate' });
}

/** Imports many States at once: all or nothing. */
export function importStates(ctx: Ctx, actor: Actor, inputs: StateCreate[]): StateOut[] {
  return ctx.db.transaction((tx) => insertStates(tx, actor, inputs, (i) => `states.${i}.`), { behavior: 'immediate' });
}

export function updateState(ctx: Ctx, actor: Actor, iso3: string, patch: StatePatch): StateOut {
  return ctx.db.transaction(
    (tx) => {
      const before = findState(tx, iso3);
      if (!before) throw new NotFoundError(`State ${iso3}`);
      const depositDate = patch.depositDate !== undefined ? patch.depositDate : before.depositDate;
      const explicit =
        patch.entryIntoForce !== undefined ? patch.entryIntoForce : before.entryIntoForceSource === 'explicit' ? before.entryIntoForce : null;
      const changes: Partial<typeof states.$inferInsert> = {
        ...(patch.name !== undefined && { nameEn: patch.name }),
        ...(patch.names !== undefined && { nameFr: patch.names.fr ?? null, nameEs: patch.names.es ?? null }),
        ...(patch.unMember !== undefined && { unMember: patch.unMember }),
        ...(patch.language !== undefined && { language: patch.language }),
        ...(patch.instrument !== undefined && { instrument: patch.instrument }),
        ...(patch.signatureDate !== undefined && { signatureDate: patch.signatureDate }),
        depositDate,
        ...resolveEntryIntoForce(depositDate, explicit),
        ...(patch.withdrawalEffective !== undefined && { withdrawalEffective: patch.withdrawalEffective }),
        ...(patch.billing !== undefined && { billingAddressLines: patch.billing.addressLines, billingEmails: patch.billing.emails }),
        ...(patch.formalNames !== undefined && { formalNames: patch.formalNames }),
        ...(patch.numberLocale !== undefined && { numberLocale: patch.numberLocale }),
        ...(patch.missionAddress !== undefined && { missionAddress: patch.missionAddress }),
        updatedAt: new Date().toISOString(),
      };
      const merged = { ...before, ...changes } as StateRow;
      if (merged.signatureDate && merged.depositDate && merged.signatureDate > merged.depositDate)
        throw new ValidationError([{ field: 'depositDate', message: 'must not be before the signature date' }]);
      checkWithdrawal(merged);
      const [after] = tx.update(states).set(changes).where(eq(states.iso3, iso3)).returning().all();
      writeAudit(tx, actor, 'state', iso3, { before: toStateOut(before), after: toStateOut(after!) });
      return toStateOut(after!);
    },
    { behavior: 'immediate' },
  );
}

/**
 * The optional addressing columns of a register CSV row (SPEC 9.10):
 * formal_en/article_en, formal_fr/article_fr, formal_es/article_es,
 * number_locale, mission_street, mission_building, mission_postcode,
 * mission_city, mission_country (CH when empty). Absent or empty columns
 * leave the field out; what is given is checked by the register's schema.
 */
export function addressingFromCsvRow(r: Record<string, string>): Record<string, unknown> {
  const v = (k: string) => (r[k] === undefined || r[k] === '' ? undefined : r[k]);
  const formalNames: Record<string, unknown> = {};
  for (const lang of ['en', 'fr', 'es']) {
    const name = v(`formal_${lang}`);
    const article = v(`article_${lang}`);
    if (name !== undefined || article !== undefined) formalNames[lang] = { article: article ?? '', name };
  }
  const street = v('mission_street');
  const building = v('mission_building');
  const postalCode = v('mission_postcode');
  const city = v('mission_city');
  const country = v('mission_country');
  const hasMission = [street, building, postalCode, city, country].some((x) => x !== undefined);
  const numberLocale = v('number_locale');
  return {
    ...(Object.keys(formalNames).length > 0 ? { formalNames } : {}),
    ...(numberLocale !== undefined ? { numberLocale } : {}),
    ...(hasMission
      ? { missionAddress: { street, ...(building !== undefined ? { buildingNumber: building } : {}), postalCode, city, countryCode: country ?? 'CH' } }
      : {}),
  };
}

/**
 * The register's CSV format: iso3,name_en,name_fr,name_es,un_member,instrument,deposit_date,language[,entry_into_force]
 * and the optional addressing columns of addressingFromCsvRow.
 */
export function parseStatesCsv(text: string): { states: unknown[]; errors: FieldError[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (e) {
    return { states: [], errors: [{ field: 'body', message: `not valid CSV: ${(e as Error).message}` }] };
  }
  const missing = ['iso3', 'name_en', 'un_member', 'language'].filter((h) => records.length > 0 && !(h in records[0]!));
  if (missing.length) return { states: [], errors: missing.map((h) => ({ field: 'header', message: `missing column ${h}` })) };
  const v = (r: Record<string, string>, k: string) => (r[k] === undefined || r[k] === '' ? undefined : r[k]);
  const out = records.map((r) => {
    const fr = v(r, 'name_fr');
    const es = v(r, 'name_es');
    const unMember = v(r, 'un_member');
    return {
      iso3: v(r, 'iso3'),
      name: v(r, 'name_en'),
      ...(fr || es ? { names: { ...(fr && { fr }), ...(es && { es }) } } : {}),
      unMember: unMember === 'true' ? true : unMember === 'false' ? false : unMember,
      language: v(r, 'language'),
      instrument: v(r, 'instrument') ?? null,
      depositDate: v(r, 'deposit_date') ?? null,
      ...(v(r, 'entry_into_force') ? { entryIntoForce: v(r, 'entry_into_force') } : {}),
      ...addressingFromCsvRow(r),
    };
  });
  return { states: out, errors: [] };
}

/**
 * A CSV of the addressing columns alone (iso3 and the columns of
 * addressingFromCsvRow; lines starting with # are comments), to complete a
 * register: one entry per row, keyed by iso3, unchecked (the register's
 * schema checks them when they are merged into a create or a patch).
 */
export function parseStatesAddressingCsv(text: string): { rows: Map<string, Record<string, unknown>>; errors: FieldError[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: true, comment: '#', skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (e) {
    return { rows: new Map(), errors: [{ field: 'body', message: `not valid CSV: ${(e as Error).message}` }] };
  }
  const rows = new Map<string, Record<string, unknown>>();
  const errors: FieldError[] = [];
  records.forEach((r, i) => {
    const iso3 = r['iso3'] ?? '';
    if (iso3 === '' || rows.has(iso3)) errors.push({ field: `rows.${i}.iso3`, message: iso3 === '' ? 'missing' : `${iso3} appears twice` });
    else rows.set(iso3, addressingFromCsvRow(r));
  });
  return { rows, errors };
}

/** The columns of the register's CSV, as the import reads them (entry_into_force only when explicit). */
export const STATES_CSV_COLUMNS = [
  'iso3',
  'name_en',
  'name_fr',
  'name_es',
  'un_member',
  'instrument',
  'deposit_date',
  'language',
  'entry_into_force',
  'formal_en',
  'article_en',
  'formal_fr',
  'article_fr',
  'formal_es',
  'article_es',
  'number_locale',
  'mission_street',
  'mission_building',
  'mission_postcode',
  'mission_city',
  'mission_country',
] as const;

/** The register as CSV, in the import's format: what it writes, POST /states/import reads back. */
export function statesCsv(list: readonly StateOut[]): string {
  return toCsv(
    STATES_CSV_COLUMNS,
    list.map((s) => [
      s.iso3,
      s.names.en,
      s.names.fr ?? '',
      s.names.es ?? '',
      String(s.unMember),
      s.instrument ?? '',
      s.depositDate ?? '',
      s.language,
      s.entryIntoForceSource === 'explicit' ? (s.entryIntoForce ?? '') : '',
      ...(['en', 'fr', 'es'] as const).flatMap((l) => [s.formalNames?.[l]?.name ?? '', s.formalNames?.[l]?.article ?? '']),
      s.numberLocale ?? '',
      s.missionAddress?.street ?? '',
      s.missionAddress?.buildingNumber ?? '',
      s.missionAddress?.postalCode ?? '',
      s.missionAddress?.city ?? '',
      s.missionAddress?.countryCode ?? '',
    ]),
  );
}

/** The State's name in a language (English when the register has none in that language). */
export function nameIn(state: { nameEn: string; nameFr: string | null; nameEs: string | null }, lang: 'en' | 'fr' | 'es'): string {
  return (lang === 'fr' ? state.nameFr : lang === 'es' ? state.nameEs : null) ?? state.nameEn;
}
