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
  /** Host names (optionally with a port) the server answers for; any other Host header is refused (SPEC 9.8). */
  allowedHosts: string[];
  /** Server timeouts in milliseconds (SPEC 9.8). */
  timeouts: ServerTimeouts;
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

export interface ServerTimeouts {
  /** The whole request (headers and body) must arrive within this time (408 otherwise). */
  requestMs: number;
  /** The headers must arrive within this time. */
  headersMs: number;
  /** A socket with no traffic either way for this long is closed, also while the server is still working on its answer. */
  connectionMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveMs: number;
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
    allowedHosts: allowedHostsOf(env),
    timeouts: timeoutsOf(env),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}

/** A Host header or ALLOWED_HOSTS entry: a DNS name, IPv4 address or bracketed IPv6 address, and an optional port. */
const HOST_RE = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::([0-9]{1,5}))?$/;

/** Splits a Host header (or an ALLOWED_HOSTS entry) into its lower-case host name and port; null when it is not one. */
export function parseHost(value: string): { name: string; port: string | null } | null {
  const m = HOST_RE.exec(value.trim());
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), port: m[2] ?? null };
}

/** The listen address as it appears in a Host header (an IPv6 address in brackets). */
function hostHeaderName(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function allowedHostsOf(env: NodeJS.ProcessEnv): string[] {
  if (env.ALLOWED_HOSTS === undefined || env.ALLOWED_HOSTS === '') {
    const listen = hostHeaderName((env.HOST || '127.0.0.1').toLowerCase());
    return [listen, ...['localhost', '127.0.0.1', '[::1]'].filter((h) => h !== listen)];
  }
  const entries = env.ALLOWED_HOSTS.split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new Error('ALLOWED_HOSTS must name at least one host, e.g. "isu.example.org,localhost"');
  for (const e of entries)
    if (!parseHost(e)) throw new Error(`ALLOWED_HOSTS: ${JSON.stringify(e)} is not a host name, address or host:port`);
  return entries;
}

function millisecondsOf(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const ms = /^[0-9]{1,9}$/.test(raw.trim()) ? Number.parseInt(raw, 10) : Number.NaN;
  if (!Number.isInteger(ms) || ms < 1) throw new Error(`${name} must be a positive number of milliseconds, got ${JSON.stringify(raw)}`);
  return ms;
}

function timeoutsOf(env: NodeJS.ProcessEnv): ServerTimeouts {
  const t: ServerTimeouts = {
    requestMs: millisecondsOf(env, 'REQUEST_TIMEOUT_MS', 30_000),
    headersMs: millisecondsOf(env, 'HEADERS_TIMEOUT_MS', 10_000),
    // Longer than the slowest answer (an invoice batch, a large bank file): a socket quiet both ways this long is closed, even mid-request.
    connectionMs: millisecondsOf(env, 'CONNECTION_TIMEOUT_MS', 120_000),
    keepAliveMs: millisecondsOf(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000),
  };
  if (t.headersMs > t.requestMs)
    throw new Error(`HEADERS_TIMEOUT_MS (${t.headersMs}) must not exceed REQUEST_TIMEOUT_MS (${t.requestMs}): the headers are part of the request`);
  return t;
}
