/**
 * Period locks (SPEC 9.4): `close` locks every date up to and including
 * `through`; from then on any entry dated in the locked period is refused
 * (409 naming the lock). Only an admin reopens, with a reason. Both are
 * audited; the lock is a row of `period_locks`, the latest one in force.
 */
import { desc } from 'drizzle-orm';
import { todayUtc } from '../domain/dates.js';
import { writeAudit } from '../db/repositories/audit.js';
import { periodLocks } from '../db/schema.js';
import { cachedStatement, connectionOf, type DbOrTx } from '../db/client.js';
import type { Actor } from './actor.js';
import type { Ctx } from './context.js';
import { ConflictError, ValidationError } from './errors.js';

export interface PeriodLockOut {
  id: number;
  action: 'close' | 'reopen';
  through: string | null;
  reason: string;
  actor: string;
  at: string;
}

export interface PeriodsOut {
  /** Entries dated on or before this date are refused; null when nothing is locked. */
  lockedThrough: string | null;
  /** The first date an entry may carry. */
  firstOpenDate: string | null;
  history: PeriodLockOut[];
}

/** The date through which entries are locked, or null. */
export function lockedThrough(db: DbOrTx): string | null {
  const row = cachedStatement(connectionOf(db), 'SELECT through FROM period_locks ORDER BY id DESC LIMIT 1').get() as { through: string | null } | undefined;
  return row?.through ?? null;
}

function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The first date an entry may carry: the day after the lock (null when nothing is locked). */
export function firstOpenDate(db: DbOrTx): string | null {
  const through = lockedThrough(db);
  return through === null ? null : dayAfter(through);
}

/** Refuses (409) an entry dated in a locked period, naming the field and the lock. */
export function assertOpen(db: DbOrTx, date: string, field: string): void {
  const through = lockedThrough(db);
  if (through !== null && date <= through)
    throw new ConflictError(`${field} ${date} is in a closed period: entries are locked through ${through}; date it ${dayAfter(through)} or later, or have an admin reopen the period`, {
      field,
      lockedThrough: through,
    });
}

export function listPeriods(ctx: Ctx): PeriodsOut {
  const history = ctx.db.select().from(periodLocks).orderBy(desc(periodLocks.id)).all();
  const through = history[0]?.through ?? null;
  return { lockedThrough: through, firstOpenDate: through === null ? null : dayAfter(through), history };
}

/** Inside the caller's transaction: a new lock through `through` (the caller checked it goes forward), audited; its id. */
export function lockInTx(tx: DbOrTx, actor: Actor, through: string, reason: string): number {
  const before = lockedThrough(tx);
  const at = new Date().toISOString();
  const [row] = tx.insert(periodLocks).values({ action: 'close', through, reason, actor: actor.username, at }).returning().all();
  writeAudit(tx, actor, 'period-lock', String(row!.id), { action: 'close', through, before, reason });
  return row!.id;
}

/** The id of the lock in force (the latest row), or null. */
export function currentLockId(db: DbOrTx): number | null {
  const row = cachedStatement(connectionOf(db), 'SELECT id FROM period_locks ORDER BY id DESC LIMIT 1').get() as { id: number } | undefined;
  return row?.id ?? null;
}

/** Locks every date up to and including `through` (never in the future, never earlier than the lock in force). */
export function closePeriod(ctx: Ctx, actor: Actor, input: { through: string; reason: string }): PeriodsOut {
  const today = todayUtc();
  if (input.through >= today) throw new ValidationError([{ field: 'through', message: `must be before today (${today}): a period closes once it is over` }]);
  ctx.db.transaction(
    (tx) => {
      const current = lockedThrough(tx);
      if (current !== null && input.through <= current)
        throw new ConflictError(`the period is already locked through ${current}; closing goes forward (an admin reopens)`, { field: 'through', lockedThrough: current });
      lockInTx(tx, actor, input.through, input.reason);
    },
    { behavior: 'immediate' },
  );
  return listPeriods(ctx);
}

/** Admin only (the route checks the role): moves the lock back to `through` (null: nothing locked). */
export function reopenPeriod(ctx: Ctx, actor: Actor, input: { through: string | null; reason: string }): PeriodsOut {
  ctx.db.transaction(
    (tx) => {
      const current = lockedThrough(tx);
      if (current === null) throw new ConflictError('nothing is locked', { field: 'through' });
      if (input.through !== null && input.through >= current)
        throw new ValidationError([{ field: 'through', message: `must be before the lock in force (${current}): reopening moves the lock back` }]);
      // A closed year stays locked: its closing entry carried its income and expenditure to the accumulated fund.
      const closed = cachedStatement(connectionOf(tx), 'SELECT MAX(year) AS year FROM year_closings').get() as { year: number | null };
      if (closed.year !== null && (input.through === null || input.through < `${closed.year}-12-31`))
        throw new ConflictError(`${closed.year} is closed (its income and expenditure are in the accumulated fund): the lock cannot move back before ${closed.year}-12-31`, {
          field: 'through',
          closedYear: closed.year,
        });
      const at = new Date().toISOString();
      const [row] = tx.insert(periodLocks).values({ action: 'reopen', through: input.through, reason: input.reason, actor: actor.username, at }).returning().all();
      writeAudit(tx, actor, 'period-lock', String(row!.id), { action: 'reopen', through: input.through, before: current, reason: input.reason });
    },
    { behavior: 'immediate' },
  );
  return listPeriods(ctx);
}
