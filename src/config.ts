/** Runtime configuration, from the environment (SPEC 6). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (where package.json is). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  dbPath: string;
  invoiceDir: string;
  /** SMTP server for e-mail delivery (SPEC 9.7), e.g. smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465; null: messages are written to outboxDir. */
  smtpUrl: string | null;
  /** The From of delivered e-mail; required with smtpUrl. */
  mailFrom: string | null;
  /** Where messages go as .eml files when there is no smtpUrl (the demo). */
  outboxDir: string;
  host: string;
  port: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number.parseInt(env.PORT, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port number, got ${JSON.stringify(env.PORT)}`);
  return {
    dbPath: path.resolve(env.ISU_DB || path.join(PROJECT_ROOT, 'db', 'isu.sqlite')),
    invoiceDir: path.resolve(env.ISU_INVOICE_DIR || path.join(PROJECT_ROOT, 'invoices')),
    smtpUrl: env.ISU_SMTP_URL || null,
    mailFrom: env.ISU_MAIL_FROM || null,
    outboxDir: path.resolve(env.ISU_OUTBOX_DIR || path.join(PROJECT_ROOT, 'outbox')),
    host: env.HOST || '127.0.0.1',
    port,
  };
}
