/** Scales of contributions (SPEC 2.2): immutable once created; a correction is a new code. */
import { asc, eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { Dec, canonicalDecimal } from '../domain/money.js';
import { writeAudit } from '../db/repositories/audit.js';
import { scaleRates, scales } from '../db/schema.js';
import type { DbOrTx } from '../db/client.js';
import type { ScaleCreate, ScaleOut } from '../schemas/scales.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, NotFoundError, type FieldError } from './errors.js';

export function findScale(db: DbOrTx, code: string) {
  return db.select().from(scales).where(eq(scales.code, code)).get();
}

/** The rates of a scale as exact decimal strings, by ISO3. */
export function scaleRateMap(db: DbOrTx, code: string): Map<string, string> {
  const rows = db.select().from(scaleRates).where(eq(scaleRates.scaleCode, code)).all();
  return new Map(rows.map((r) => [r.iso3, r.rate]));
}

export function getScale(ctx: Ctx, code: string): ScaleOut {
  const scale = findScale(ctx.db, code);
  if (!scale) throw new NotFoundError(`Scale ${code}`);
  const rates = ctx.db.select().from(scaleRates).where(eq(scaleRates.scaleCode, code)).orderBy(asc(scaleRates.iso3)).all();
  const sum = rates.reduce((acc, r) => acc.add(r.rate), new Dec(0));
  return {
    code: scale.code,
    title: scale.title,
    source: scale.source,
    createdAt: scale.createdAt,
    ratesCount: rates.length,
    sumOfRates: canonicalDecimal(sum),
    rates: rates.map((r) => ({ iso3: r.iso3, rate: r.rate })),
  };
}

export function listScales(ctx: Ctx): Omit<ScaleOut, 'rates'>[] {
  return ctx.db
    .select({ code: scales.code })
    .from(scales)
    .orderBy(asc(scales.code))
    .all()
    .map(({ code }) => {
      const { rates: _rates, ...summary } = getScale(ctx, code);
      return summary;
    });
}

export function createScale(ctx: Ctx, actor: Actor, input: ScaleCreate): ScaleOut {
  ctx.db.transaction(
    (tx) => {
      if (findScale(tx, input.code))
        throw new ConflictError(`scale ${input.code} already exists and scales are immutable; load the corrected scale under a new code`, {
          field: 'code',
        });
      tx.insert(scales).values({ code: input.code, title: input.title, source: input.source }).run();
      tx.insert(scaleRates)
        .values(input.rates.map((r) => ({ scaleCode: input.code, iso3: r.iso3, rate: canonicalDecimal(new Dec(r.rate)) })))
        .run();
      writeAudit(tx, actor, 'scale', input.code, { title: input.title, source: input.source, rates: input.rates.length });
    },
    { behavior: 'immediate' },
  );
  return getScale(ctx, input.code);
}

/** Parses `iso3,rate` CSV (header required) into the rates of a ScaleCreate; errors name the line. */
export function parseScaleCsv(text: string): { rates: { iso3: unknown; rate: unknown }[]; errors: FieldError[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    return { rates: [], errors: [{ field: 'body', message: `not valid CSV: ${(e as Error).message}` }] };
  }
  const header = (records.shift() ?? []).map((h) => h.toLowerCase());
  const iIso = header.indexOf('iso3');
  const iRate = header.indexOf('rate');
  if (iIso < 0 || iRate < 0) return { rates: [], errors: [{ field: 'body', message: 'the first line must be the header iso3,rate' }] };
  const errors: FieldError[] = [];
  const rates = records.map((cells, n) => {
    if (cells.length !== header.length) errors.push({ field: `line ${n + 2}`, message: `has ${cells.length} cells, the header has ${header.length}` });
    return { iso3: cells[iIso], rate: cells[iRate] };
  });
  return { rates, errors };
}
