import type Database from 'better-sqlite3';
import type { Db } from '../db/client.js';

/** What every service needs: the database (drizzle and the raw handle for exact aggregates). */
export interface Ctx {
  db: Db;
  sqlite: Database.Database;
  invoiceDir: string;
}
