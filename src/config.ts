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
  /**
   * TRUST_PROXY (SPEC 9.8): whom to believe about the client behind a reverse
   * proxy, as Fastify's `trustProxy`. false (default): the peer is the client
   * and X-Forwarded-* are ignored; true: every peer (only when the server is
   * reachable through the proxy alone); a number: that many proxy hops; a
   * list: the proxies' addresses or CIDR ranges. With it, request.ip is the
   * X-Forwarded-For client (login throttling, the unauthenticated limit, the
   * logs) and X-Forwarded-Proto https makes cookies Secure.
   */
  trustProxy: boolean | number | string[];
}

/** TRUST_PROXY: unset, "", "false" or "0" → false; "true"; a hop count 1–10; or comma-separated IP addresses / CIDR ranges. */
export function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^[0-9]+$/.test(v)) {
    const hops = Number.parseInt(v, 10);
    if (hops >= 1 && hops <= 10) return hops;
  } else {
    const list = v.split(',').map((s) => s.trim());
    const address = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(?:\/[0-9]{1,3})?$/;
    if (list.every((a) => address.test(a))) return list;
  }
  throw new Error(`TRUST_PROXY must be true, false, a number of proxy hops (1–10) or comma-separated proxy addresses or CIDR ranges, got ${JSON.stringify(value)}`);
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
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}
