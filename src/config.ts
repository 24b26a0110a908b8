/** Runtime configuration, from the environment (SPEC 6). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder (where package.json is). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  dbPath: string;
  invoiceDir: string;
  host: string;
  port: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number.parseInt(env.PORT, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a TCP port number, got ${JSON.stringify(env.PORT)}`);
  return {
    dbPath: path.resolve(env.ISU_DB || path.join(PROJECT_ROOT, 'db', 'isu.sqlite')),
    invoiceDir: path.resolve(env.ISU_INVOICE_DIR || path.join(PROJECT_ROOT, 'invoices')),
    host: env.HOST || '127.0.0.1',
    port,
  };
}
