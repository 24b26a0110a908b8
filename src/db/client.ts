/**
 * Opens the SQLite database (WAL, synchronous=FULL, foreign keys on) and
 * applies the committed migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { PROJECT_ROOT } from '../config.js';
import { registerConnection, unregisterConnection } from './commit-cache.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;
/** The drizzle handle inside a transaction has the same query API. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database_ {
  sqlite: Database.Database;
  db: Db;
  close(): void;
}

export const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, 'db', 'migrations');

/** `PRAGMA application_id` of this program's databases ("ISUC"): stamped on every database it opens for writing. */
export const APPLICATION_ID = 0x49535543;
/** Owner-only modes of the database files and of the folders it creates (SPEC 9.8). */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Raised instead of opening (or replacing) a file that is not this program's database; the file is left as it is. */
export class ForeignDatabaseError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(
      `${file} is not this program's database (${reason}); it was left untouched. Set ISU_DB to the path of an ISU database, or to a new file name to create one`,
    );
    this.name = 'ForeignDatabaseError';
  }
}

export type DatabaseKind = { kind: 'new' } | { kind: 'ours' } | { kind: 'foreign'; reason: string };

/** The `when` of every committed migration: a database whose applied migrations are all among them was made by this program. */
function knownMigrations(): Set<number> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return new Set(journal.entries.map((e) => e.when));
}

/**
 * What the file at `file` is: `new` when it does not exist or is empty (0
 * bytes); `ours` when it carries this program's application id, or (a
 * database from before the id was stamped) has the `states` table and a
 * migrations table holding only this program's migrations; `foreign`
 * otherwise (another program's SQLite database, or not SQLite at all).
 */
export function classifyDatabase(file: string): DatabaseKind {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'new' };
    throw e;
  }
  if (!st.isFile()) return { kind: 'foreign', reason: 'it is not a regular file' };
  if (st.size === 0 && !(fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0)) return { kind: 'new' };
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const appId = sqlite.pragma('application_id', { simple: true }) as number;
    if (appId === APPLICATION_ID) return { kind: 'ours' };
    if (appId !== 0) return { kind: 'foreign', reason: `its application id is 0x${(appId >>> 0).toString(16)}` };
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    if (tables.includes('__drizzle_migrations') && tables.includes('states')) {
      const applied = sqlite.prepare('SELECT created_at AS at FROM __drizzle_migrations').all() as { at: number | string }[];
      const known = knownMigrations();
      if (applied.length > 0 && applied.every((m) => known.has(Number(m.at)))) return { kind: 'ours' };
      return { kind: 'foreign', reason: "its migrations are not this program's" };
    }
    const shown = tables.filter((t) => !t.startsWith('sqlite_')).slice(0, 5);
    return { kind: 'foreign', reason: shown.length > 0 ? `it holds other tables: ${shown.join(', ')}` : 'it is a SQLite database without our tables' };
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') return { kind: 'foreign', reason: 'it is not a SQLite database' };
    throw e;
  } finally {
    sqlite?.close();
  }
}

/** Takes group and others' permissions away from a file or folder of ours (one that we own). */
function tighten(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if ((st.mode & 0o077) !== 0 && (process.getuid === undefined || st.uid === process.getuid())) fs.chmodSync(file, st.mode & 0o700);
}

/**
 * Opens the database. For writing, refuses a file that is not this
 * program's database (ForeignDatabaseError, the file untouched); creates a
 * new one readable by its owner only (0600, in a new folder 0700), tightens
 * an existing one (and its -wal, -shm) to the same, and stamps the
 * application id. SQLite creates the -wal and -shm with the database's mode.
 */
export function openDatabase(file: string, { migrate: runMigrations = false, readonly = false } = {}): Database_ {
  if (!readonly) {
    const found = classifyDatabase(file);
    if (found.kind === 'foreign') throw new ForeignDatabaseError(file, found.reason);
    if (found.kind === 'new') {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
      fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
    }
    for (const f of [file, `${file}-wal`, `${file}-shm`]) tighten(f);
  }
  const sqlite = new Database(file, { readonly, fileMustExist: readonly });
  if (!readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  if (runMigrations) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  if (!readonly && sqlite.pragma('application_id', { simple: true }) !== APPLICATION_ID) sqlite.pragma(`application_id = ${APPLICATION_ID}`);
  registerConnection(sqlite);
  return {
    sqlite,
    db,
    close: () => {
      unregisterConnection(sqlite);
      sqlite.close();
    },
  };
}

/** True when `npm start` should create the demo: the file is absent or empty. A file that is not ours: ForeignDatabaseError. */
export function isNewDatabase(file: string): boolean {
  const found = classifyDatabase(file);
  if (found.kind === 'foreign') throw new ForeignDatabaseError(file, found.reason);
  return found.kind === 'new';
}

/**
 * The SQLite connection under a drizzle handle or transaction (drizzle keeps
 * it as its session's client): for hot write paths that run cached prepared
 * statements inside the caller's transaction (the same connection).
 */
export function connectionOf(db: DbOrTx): Database.Database {
  return (db as unknown as { session: { client: Database.Database } }).session.client;
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement compiled once per connection and reused: for the hot
 * read paths (token check, balances), where compiling SQL on every request
 * would cost more than running it. Integers are read as bigint when `bigints`.
 */
export function cachedStatement(sqlite: Database.Database, sql: string, { bigints = false } = {}): Database.Statement {
  let byConnection = statementCache.get(sqlite);
  if (!byConnection) statementCache.set(sqlite, (byConnection = new Map()));
  const key = `${bigints ? 'B' : 'N'}${sql}`;
  let stmt = byConnection.get(key);
  if (!stmt) {
    stmt = sqlite.prepare(sql);
    if (bigints) stmt.safeIntegers(true);
    byConnection.set(key, stmt);
  }
  return stmt;
}

/**
 * Runs `read` in one read transaction: its statements see one snapshot of the
 * database, and the file locks of a read transaction are taken once rather
 * than once per statement. Inside a transaction already, simply runs it.
 */
export function readSnapshot<T>(sqlite: Database.Database, read: () => T): T {
  if (sqlite.inTransaction) return read();
  cachedStatement(sqlite, 'BEGIN DEFERRED').run();
  try {
    return read();
  } finally {
    if (sqlite.inTransaction) cachedStatement(sqlite, 'COMMIT').run();
  }
}
