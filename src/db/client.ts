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

export function openDatabase(file: string, { migrate: runMigrations = false, readonly = false } = {}): Database_ {
  if (!readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file, { readonly, fileMustExist: readonly });
  if (!readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  if (runMigrations) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
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

/** True when the migrations table shows no migration applied yet (a new database). */
export function isNewDatabase(file: string): boolean {
  if (!fs.existsSync(file)) return true;
  const sqlite = new Database(file, { readonly: true });
  try {
    const row = sqlite
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'states'")
      .get() as { n: number };
    return row.n === 0;
  } finally {
    sqlite.close();
  }
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
