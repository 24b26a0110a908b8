/** Expenditures in bulk (SPEC 9.5, issue 15): CSV `date,amount,description,budgetYear,line`, all or nothing. */
import { parse } from 'csv-parse/sync';
import { formatMoney, parseMoney, sumCentimes } from '../domain/money.js';
import { expenditureBody } from '../schemas/reserve.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ServiceError, type FieldError } from './errors.js';
import { recordExpenditureInTx, type ExpenditureIn } from './reserve.js';

/** Expenditures from CSV (`date,amount,description,budgetYear,line`): the rows as the API takes them, or what is wrong, naming row and column. */
export function parseExpendituresCsv(text: string): { expenditures: ExpenditureIn[]; errors: FieldError[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (e) {
    return { expenditures: [], errors: [{ field: 'body', message: `not valid CSV: ${(e as Error).message}` }] };
  }
  if (records.length === 0) return { expenditures: [], errors: [{ field: 'body', message: 'no expenditures: a header date,amount,description,budgetYear,line and one row or more' }] };
  const missing = ['date', 'amount', 'description'].filter((h) => !(h in records[0]!));
  if (missing.length) return { expenditures: [], errors: missing.map((h) => ({ field: 'header', message: `missing column ${h}` })) };
  const errors: FieldError[] = [];
  const out: ExpenditureIn[] = [];
  records.forEach((r, i) => {
    const v = (k: string) => (r[k] === undefined || r[k] === '' ? undefined : r[k]);
    const year = v('budgetYear');
    const parsed = expenditureBody.safeParse({
      date: v('date'),
      amount: v('amount'),
      description: v('description'),
      ...(year !== undefined && { budgetYear: /^[0-9]{4}$/.test(year) ? Number(year) : year }),
      ...(v('line') !== undefined && { line: v('line') }),
    });
    if (parsed.success) out.push(parsed.data);
    else for (const issue of parsed.error.issues) errors.push(rowError(i, String(issue.path[0] ?? 'row'), issue.message));
  });
  return { expenditures: out, errors };
}

const rowError = (i: number, column: string, message: string): FieldError => ({ field: `expenditures.${i}.${column}`, message: `row ${i + 1} (line ${i + 2} of the file), column ${column}: ${message}` });

/**
 * Records expenditures all or nothing (`isu import expenditures`, POST
 * /expenditures/import): one transaction; the first refused row refuses them
 * all, its error naming the row and the column.
 */
export function importExpenditures(ctx: Ctx, actor: Actor, rows: readonly ExpenditureIn[]) {
  return ctx.db.transaction(
    (tx) => {
      const recorded = rows.map((row, i) => {
        try {
          const { journalEntryId: _e, ...e } = recordExpenditureInTx(ctx, tx, actor, row);
          return e;
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          const errors = err.errors.length ? err.errors.map((f) => rowError(i, f.field, f.message)) : [rowError(i, String(err.extra.field ?? 'row'), err.message)];
          throw new ServiceError(err.status, err.title, errors.map((f) => f.message).join('; '), errors, err.extra);
        }
      });
      return { count: recorded.length, total: formatMoney(sumCentimes(recorded.map((e) => parseMoney(e.amount)))), expenditures: recorded };
    },
    { behavior: 'immediate' },
  );
}
