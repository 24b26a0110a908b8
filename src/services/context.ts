import type Database from 'better-sqlite3';
import type { Db } from '../db/client.js';

/** What every service needs: the database (drizzle and the raw handle for exact aggregates) and the configuration it acts on. */
export interface Ctx {
  db: Db;
  sqlite: Database.Database;
  invoiceDir: string;
  /** E-mail delivery (SPEC 9.7): the SMTP server's URL; absent or null, messages are written as .eml files to outboxDir. */
  smtpUrl?: string | null | undefined;
  /** The From of delivered e-mail: required with smtpUrl; without it, the issuer's name and e-mail. */
  mailFrom?: string | null | undefined;
  /** The outbox of the file transport; default `outbox` beside invoiceDir. */
  outboxDir?: string | undefined;
}
