/**
 * The CHF 400,000 working capital reserve (SPEC 2.6) and ISU expenditure.
 * Reserve balance = the ledger's reserve cash (1010); operating cash = 1000.
 * Drawdowns move reserve cash to operating cash, only to cover a shortfall;
 * restorations move it back, oldest drawdown first.
 */
import { and, desc, eq, gte, lte, sql } from 'drizzle-orm';
import { daysBetween, todayUtc } from '../domain/dates.js';
import { ACCOUNTS } from '../domain/ledger.js';
import { formatMoney, parseMoney, sumCentimes, type Centimes } from '../domain/money.js';
import { allocateRestoration, checkDrawdown, lowestFrom } from '../domain/reserve.js';
import { writeAudit } from '../db/repositories/audit.js';
import { assertPlausibleAmount, assertPlausibleDate } from './limits.js';
import { postEntry } from '../db/repositories/ledger.js';
import { expenditures, reserveMovements, reserveTargets, reversals } from '../db/schema.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ServiceError, ValidationError } from './errors.js';
import type { ReserveOut } from './reserve-types.js';
import type { DbOrTx } from '../db/client.js';
import { assertOpen } from './periods.js';
import { findState } from './states.js';
import { resolveCoding } from './budget-lines.js';

/** An expenditure to record: `budgetYear` defaults to the year of its date; `line` is required when that budget has lines (SPEC 9.5). */
export interface ExpenditureIn {
  date: string;
  amount: string;
  description: string;
  budgetYear?: number | undefined;
  line?: string | null | undefined;
}

/** SPEC 2.6: the target the 7th MSP set, used until finance records the decision with PUT /reserve/target. */
export const DEFAULT_RESERVE_TARGET_CENTIMES = 40_000_000n;

export function accountBalance(ctx: Pick<Ctx, 'sqlite'>, account: string, asOf: string): Centimes {
  const row = ctx.sqlite
    .prepare(
      `SELECT COALESCE(SUM(p.amount_centimes), 0) AS s FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = ? AND j.entry_date <= ?`,
    )
    .safeIntegers(true)
    .get(account, asOf) as { s: bigint };
  return row.s;
}

/** The lowest balance of an account from `date` on: what may be taken out on `date` without it going negative later. */
export function availableFrom(ctx: Pick<Ctx, 'sqlite'>, account: string, date: string): Centimes {
  const later = ctx.sqlite
    .prepare(
      `SELECT SUM(p.amount_centimes) AS d FROM postings p JOIN journal_entries j ON j.id = p.entry_id
        WHERE p.account_code = ? AND j.entry_date > ? GROUP BY j.entry_date ORDER BY j.entry_date`,
    )
    .safeIntegers(true)
    .all(account, date) as { d: bigint }[];
  return lowestFrom(accountBalance(ctx, account, date), later.map((r) => r.d));
}

export const operatingCash = (ctx: Pick<Ctx, 'sqlite'>, asOf: string) => accountBalance(ctx, ACCOUNTS.operatingCash, asOf);
export const reserveBalance = (ctx: Pick<Ctx, 'sqlite'>, asOf: string) => accountBalance(ctx, ACCOUNTS.reserveCash, asOf);

function checkDate(db: DbOrTx, field: string, date: string) {
  const today = todayUtc();
  assertOpen(db, date, field);
  if (date > today) throw new ValidationError([{ field, message: `must not be in the future (today is ${today})` }]);
  assertPlausibleDate(db, field, date);
}

/** An amount greater than 0 and not above the largest amount accepted (finding 13). */
function positive(db: DbOrTx, field: string, amount: string): Centimes {
  const c = parseMoney(amount);
  if (c === 0n) throw new ValidationError([{ field, message: 'must be greater than 0' }]);
  assertPlausibleAmount(db, field, c);
  return c;
}

export function setReserveTarget(ctx: Ctx, actor: Actor, input: { amount: string; decisionRef: string }) {
  const amountCentimes = parseMoney(input.amount);
  assertPlausibleAmount(ctx.db, 'amount', amountCentimes);
  ctx.db.transaction(
    (tx) => {
      tx.insert(reserveTargets).values({ amountCentimes, decisionRef: input.decisionRef, setAt: new Date().toISOString() }).run();
      writeAudit(tx, actor, 'reserve-target', 'current', { amount: formatMoney(amountCentimes), decisionRef: input.decisionRef });
    },
    { behavior: 'immediate' },
  );
  return { amount: formatMoney(amountCentimes), decisionRef: input.decisionRef };
}

function currentTarget(ctx: Ctx): { amountCentimes: Centimes; decisionRef: string | null } {
  const row = ctx.db.select().from(reserveTargets).orderBy(desc(reserveTargets.id)).limit(1).get();
  return row ? { amountCentimes: row.amountCentimes, decisionRef: row.decisionRef } : { amountCentimes: DEFAULT_RESERVE_TARGET_CENTIMES, decisionRef: null };
}

interface DrawdownState {
  id: number;
  date: string;
  reason: string;
  amountCentimes: Centimes;
  restoredCentimes: Centimes;
}

function drawdownsAsOf(ctx: Ctx, asOf: string): DrawdownState[] {
  const rows = ctx.sqlite
    .prepare(
      `SELECT d.id AS id, d.date AS date, d.description AS reason, d.amount_centimes AS amount,
              (SELECT COALESCE(SUM(r.amount_centimes), 0) FROM reserve_movements r WHERE r.kind = 'restoration' AND r.drawdown_id = d.id AND r.date <= @asOf
                  AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'reserve-movement' AND v.entity_id = r.id AND v.date <= @asOf)) AS restored
         FROM reserve_movements d WHERE d.kind = 'drawdown' AND d.date <= @asOf
          AND NOT EXISTS (SELECT 1 FROM reversals v WHERE v.entity_type = 'reserve-movement' AND v.entity_id = d.id AND v.date <= @asOf)
        ORDER BY d.date, d.id`,
    )
    .safeIntegers(true)
    .all({ asOf }) as { id: bigint; date: string; reason: string; amount: bigint; restored: bigint }[];
  return rows.map((r) => ({ id: Number(r.id), date: r.date, reason: r.reason, amountCentimes: r.amount, restoredCentimes: r.restored }));
}

/** How much operating cash can give back to the reserve on `asOf` (for proposing a restoration); null when nothing. */
export type RestorationProposal = (ctx: Ctx, asOf: string, owedCentimes: Centimes) => Centimes | null;

export function getReserve(ctx: Ctx, asOf = todayUtc(), proposal?: RestorationProposal): ReserveOut {
  const target = currentTarget(ctx);
  const balance = reserveBalance(ctx, asOf);
  const cash = operatingCash(ctx, asOf);
  const outstanding = drawdownsAsOf(ctx, asOf).filter((d) => d.amountCentimes > d.restoredCentimes);
  const totalOutstanding = sumCentimes(outstanding.map((d) => d.amountCentimes - d.restoredCentimes));
  let proposed: Centimes | null = null;
  if (totalOutstanding > 0n && proposal) proposed = proposal(ctx, asOf, totalOutstanding);
  return {
    asOf,
    target: formatMoney(target.amountCentimes),
    targetDecisionRef: target.decisionRef,
    balance: formatMoney(balance),
    shortfallToTarget: formatMoney(target.amountCentimes > balance ? target.amountCentimes - balance : 0n),
    operatingCash: formatMoney(cash),
    outstandingDrawdowns: outstanding.map((d) => ({
      id: d.id,
      date: d.date,
      amount: formatMoney(d.amountCentimes),
      reason: d.reason,
      restored: formatMoney(d.restoredCentimes),
      outstanding: formatMoney(d.amountCentimes - d.restoredCentimes),
      daysOutstanding: daysBetween(d.date, asOf),
    })),
    totalOutstanding: formatMoney(totalOutstanding),
    proposedRestoration: proposed === null ? null : formatMoney(proposed),
  };
}

export function addReserveContribution(
  ctx: Ctx,
  actor: Actor,
  input: { date: string; amount: string; iso3?: string | undefined; donor?: string | undefined; kind?: 'contribution' | 'transfer' | undefined; description?: string | undefined },
) {
  checkDate(ctx.db, 'date', input.date);
  const amountCentimes = positive(ctx.db, 'amount', input.amount);
  const kind = input.kind ?? 'contribution';
  if (kind === 'transfer' && !input.description)
    throw new ValidationError([{ field: 'description', message: 'a transfer states its justification (e.g. "unspent 2013–2015 contributions")' }]);
  return ctx.db.transaction(
    (tx) => {
      if (input.iso3 && !findState(tx, input.iso3)) throw new ValidationError([{ field: 'iso3', message: `unknown State ${input.iso3}` }]);
      const description = input.description ?? `Contribution to the working capital reserve from ${input.iso3 ?? input.donor ?? 'an unnamed contributor'}`;
      const entryId = postEntry(tx, actor, {
        entryDate: input.date,
        kind: kind === 'transfer' ? 'reserve-transfer' : 'reserve-contribution',
        description,
        refType: 'reserve',
        refId: kind,
        postings: [
          { account: ACCOUNTS.reserveCash, amountCentimes },
          { account: ACCOUNTS.reserveFund, amountCentimes: -amountCentimes, stateIso3: input.iso3 ?? null },
        ],
      });
      const [row] = tx
        .insert(reserveMovements)
        .values({ kind, date: input.date, amountCentimes, stateIso3: input.iso3 ?? null, donor: input.donor ?? null, description, journalEntryId: entryId })
        .returning()
        .all();
      writeAudit(tx, actor, `reserve-${kind}`, String(row!.id), { amount: formatMoney(amountCentimes), date: input.date, description });
      return { id: row!.id, kind, date: input.date, amount: formatMoney(amountCentimes), description };
    },
    { behavior: 'immediate' },
  );
}

export function recordExpenditure(ctx: Ctx, actor: Actor, input: ExpenditureIn) {
  return ctx.db.transaction(
    (tx) => {
      const { journalEntryId: _entry, ...out } = recordExpenditureInTx(ctx, tx, actor, input);
      return out;
    },
    { behavior: 'immediate' },
  );
}

/** Records an expenditure inside the caller's transaction (a bank line booked as bank charges); also answers its journal entry. */
export function recordExpenditureInTx(ctx: Ctx, tx: DbOrTx, actor: Actor, input: ExpenditureIn) {
  checkDate(tx, 'date', input.date);
  const amountCentimes = positive(tx, 'amount', input.amount);
  const coding = resolveCoding(tx, input.date, input.budgetYear, input.line);
  const entryId = postEntry(tx, actor, {
    entryDate: input.date,
    kind: 'expenditure',
    description: input.description,
    refType: 'expenditure',
    refId: null,
    postings: [
      { account: ACCOUNTS.expenditure, amountCentimes },
      { account: ACCOUNTS.operatingCash, amountCentimes: -amountCentimes },
    ],
  });
  const [row] = tx
    .insert(expenditures)
    .values({ date: input.date, amountCentimes, description: input.description, budgetYear: coding.budgetYear, line: coding.line, journalEntryId: entryId })
    .returning()
    .all();
  writeAudit(tx, actor, 'expenditure', String(row!.id), { amount: formatMoney(amountCentimes), date: input.date, description: input.description, ...coding });
  return {
    id: row!.id,
    date: input.date,
    amount: formatMoney(amountCentimes),
    description: input.description,
    budgetYear: coding.budgetYear,
    line: coding.line,
    operatingCash: formatMoney(operatingCash(ctx, input.date)),
    journalEntryId: entryId,
  };
}

export function drawDown(ctx: Ctx, actor: Actor, input: { date: string; amount: string; reason: string }) {
  checkDate(ctx.db, 'date', input.date);
  const amountCentimes = positive(ctx.db, 'amount', input.amount);
  return ctx.db.transaction(
    (tx) => {
      // The reserve must cover it on that date and every later one; the shortfall is the one on that date.
      const refusal = checkDrawdown(amountCentimes, availableFrom(ctx, ACCOUNTS.reserveCash, input.date), operatingCash(ctx, input.date));
      if (refusal) {
        const what =
          refusal.limit === 'reserve-balance'
            ? `the reserve balance available on ${input.date} (${formatMoney(refusal.limitCentimes)})`
            : refusal.limitCentimes === 0n
              ? `the operating-cash shortfall on ${input.date}: there is none (a drawdown only covers a cash-flow shortfall)`
              : `the operating-cash shortfall on ${input.date} (${formatMoney(refusal.limitCentimes)})`;
        throw new ServiceError(422, 'Unprocessable Content', `the drawdown exceeds ${what} by ${formatMoney(refusal.exceededByCentimes)}`, [{ field: 'amount', message: `exceeds ${what}` }], {
          limit: refusal.limit,
          limitAmount: formatMoney(refusal.limitCentimes),
          exceededBy: formatMoney(refusal.exceededByCentimes),
        });
      }
      const entryId = postEntry(tx, actor, {
        entryDate: input.date,
        kind: 'reserve-drawdown',
        description: `Drawdown from the working capital reserve: ${input.reason}`,
        refType: 'reserve',
        refId: 'drawdown',
        postings: [
          { account: ACCOUNTS.operatingCash, amountCentimes },
          { account: ACCOUNTS.reserveCash, amountCentimes: -amountCentimes },
        ],
      });
      const [row] = tx.insert(reserveMovements).values({ kind: 'drawdown', date: input.date, amountCentimes, description: input.reason, journalEntryId: entryId }).returning().all();
      writeAudit(tx, actor, 'reserve-drawdown', String(row!.id), { amount: formatMoney(amountCentimes), date: input.date, reason: input.reason });
      return { id: row!.id, date: input.date, amount: formatMoney(amountCentimes), reason: input.reason };
    },
    { behavior: 'immediate' },
  );
}

export function restore(ctx: Ctx, actor: Actor, input: { date: string; amount: string; drawdown?: number | undefined }) {
  checkDate(ctx.db, 'date', input.date);
  const amountCentimes = positive(ctx.db, 'amount', input.amount);
  return ctx.db.transaction(
    (tx) => {
      const outstanding = drawdownsAsOf(ctx, '9999-12-31')
        .filter((d) => d.date <= input.date)
        .map((d) => ({ id: d.id, date: d.date, outstandingCentimes: d.amountCentimes - d.restoredCentimes }));
      if (input.drawdown !== undefined && !outstanding.some((d) => d.id === input.drawdown))
        throw new ValidationError([{ field: 'drawdown', message: `no drawdown ${input.drawdown} on or before ${input.date}` }]);
      const owed = sumCentimes(outstanding.filter((d) => input.drawdown === undefined || d.id === input.drawdown).map((d) => d.outstandingCentimes));
      if (amountCentimes > owed)
        throw new ServiceError(
          422,
          'Unprocessable Content',
          `the restoration exceeds what is outstanding (${formatMoney(owed)}) by ${formatMoney(amountCentimes - owed)}`,
          [{ field: 'amount', message: `exceeds the outstanding drawdowns (${formatMoney(owed)})` }],
          { limit: 'outstanding', limitAmount: formatMoney(owed), exceededBy: formatMoney(amountCentimes - owed) },
        );
      const cash = availableFrom(ctx, ACCOUNTS.operatingCash, input.date);
      if (amountCentimes > cash)
        throw new ServiceError(
          422,
          'Unprocessable Content',
          `the restoration exceeds the operating cash available on ${input.date} (${formatMoney(cash > 0n ? cash : 0n)}) by ${formatMoney(amountCentimes - (cash > 0n ? cash : 0n))}`,
          [{ field: 'amount', message: 'exceeds the operating cash available' }],
          { limit: 'operating-cash', limitAmount: formatMoney(cash > 0n ? cash : 0n), exceededBy: formatMoney(amountCentimes - (cash > 0n ? cash : 0n)) },
        );
      const parts = allocateRestoration(amountCentimes, outstanding, input.drawdown);
      const entryId = postEntry(tx, actor, {
        entryDate: input.date,
        kind: 'reserve-restoration',
        description: `Restoration of the working capital reserve (drawdown${parts.length > 1 ? 's' : ''} ${parts.map((p) => p.drawdownId).join(', ')})`,
        refType: 'reserve',
        refId: 'restoration',
        postings: [
          { account: ACCOUNTS.reserveCash, amountCentimes },
          { account: ACCOUNTS.operatingCash, amountCentimes: -amountCentimes },
        ],
      });
      for (const p of parts)
        tx.insert(reserveMovements)
          .values({ kind: 'restoration', date: input.date, amountCentimes: p.amountCentimes, description: `Restoration of drawdown ${p.drawdownId}`, drawdownId: p.drawdownId, journalEntryId: entryId })
          .run();
      writeAudit(tx, actor, 'reserve-restoration', parts.map((p) => p.drawdownId).join(','), { amount: formatMoney(amountCentimes), date: input.date });
      return { date: input.date, amount: formatMoney(amountCentimes), restored: parts.map((p) => ({ drawdown: p.drawdownId, amount: formatMoney(p.amountCentimes) })) };
    },
    { behavior: 'immediate' },
  );
}

export function listExpenditures(ctx: Ctx, year?: number) {
  const rows = ctx.db
    .select()
    .from(expenditures)
    .where(year === undefined ? undefined : sql`substr(${expenditures.date}, 1, 4) = ${String(year)}`)
    .orderBy(expenditures.date, expenditures.id)
    .all();
  const reversed = reversalsOf(ctx, 'expenditure');
  return rows.map((r) => ({
    id: r.id,
    date: r.date,
    amount: formatMoney(r.amountCentimes),
    description: r.description,
    budgetYear: r.budgetYear,
    line: r.line,
    reversal: reversed.get(r.id) ?? null,
  }));
}

/** The reversals of one kind of entity, by its id. */
function reversalsOf(ctx: Ctx, entity: 'expenditure' | 'reserve-movement'): Map<number, { date: string; reason: string }> {
  return new Map(
    ctx.db
      .select()
      .from(reversals)
      .where(eq(reversals.entityType, entity))
      .all()
      .map((v) => [v.entityId, { date: v.date, reason: v.reason }]),
  );
}

/** GET /reserve/movements: the reserve's movements between two dates (or those of one contributing State), each with its contributor and its reversal, if any. */
export function listReserveMovements(ctx: Ctx, q: { from?: string | undefined; to?: string | undefined; state?: string | undefined }) {
  const rows = ctx.db
    .select()
    .from(reserveMovements)
    .where(
      and(
        q.from === undefined ? undefined : gte(reserveMovements.date, q.from),
        q.to === undefined ? undefined : lte(reserveMovements.date, q.to),
        q.state === undefined ? undefined : eq(reserveMovements.stateIso3, q.state),
      ),
    )
    .orderBy(reserveMovements.date, reserveMovements.id)
    .all();
  const reversed = reversalsOf(ctx, 'reserve-movement');
  return rows.map((m) => ({
    id: m.id,
    kind: m.kind,
    date: m.date,
    amount: formatMoney(m.amountCentimes),
    iso3: m.stateIso3,
    donor: m.donor,
    description: m.description,
    drawdown: m.drawdownId,
    reversal: reversed.get(m.id) ?? null,
  }));
}
