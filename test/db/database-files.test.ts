/**
 * Issue 16, findings 9 and 10 (SPEC 9.8): `npm start` never replaces a file
 * that is not this program's database, and the database, its WAL and the
 * document folders are readable by their owner only.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { classifyDatabase, isNewDatabase, openDatabase } from '../../src/db/client.js';
import { writeFileAtomic } from '../../src/services/invoices.js';
import { openMailer } from '../../src/services/delivery/transport.js';
import { tempDir } from '../helpers.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

/** `isu …` in a child process under umask 022 (the usual default that made files world-readable). */
function isu(dbPath: string, ...args: string[]) {
  const dir = path.dirname(dbPath);
  const r = spawnSync('sh', ['-c', 'umask 022; exec "$@"', 'sh', TSX, MAIN, ...args], {
    env: { ...process.env, ISU_DB: dbPath, ISU_INVOICE_DIR: path.join(dir, 'invoices'), ISU_OUTBOX_DIR: path.join(dir, 'outbox'), ISU_SMTP_URL: '', PORT: '0' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 90_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function preciousFile(dir: string): string {
  const file = path.join(dir, 'isu.sqlite');
  const other = new Database(file);
  other.exec("CREATE TABLE precious (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO precious (what) VALUES ('the only copy')");
  other.close();
  return file;
}

let oldUmask: number;
beforeAll(() => {
  oldUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(oldUmask);
});

describe("finding 9: a file that is not this program's database is never replaced", () => {
  it("finding 9: start, serve and migrate refuse a SQLite file with a table `precious`, which stays intact", () => {
    const dir = tempDir();
    const file = preciousFile(dir);
    const before = digest(file);
    for (const command of ['start', 'serve', 'migrate']) {
      const r = isu(file, command);
      expect(r.code, `${command}: ${r.stdout}${r.stderr}`).not.toBe(0);
      expect(r.stderr).toMatch(/is not this program's database/);
      expect(r.stderr).toContain(file);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(r.stdout).not.toMatch(/created the demo database/);
    }
    expect(digest(file)).toBe(before);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT what FROM precious').all()).toEqual([{ what: 'the only copy' }]);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'states'").get()).toEqual({ n: 0 });
    db.close();
  });

  it("finding 9: start does not remove another program's file that happens to sit where it builds the demo", () => {
    const dir = tempDir();
    const file = path.join(dir, 'isu.sqlite');
    const building = preciousFile(dir).replace(/isu\.sqlite$/, 'isu.sqlite.building');
    fs.renameSync(file, building);
    const before = digest(building);
    const r = isu(file, 'start');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/isu\.sqlite\.building is not this program's database/);
    expect(digest(building)).toBe(before);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('finding 9: a file that is not SQLite at all is refused and left as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, 'isu.sqlite');
    fs.writeFileSync(file, 'my thesis, chapter 1\n');
    const r = isu(file, 'start');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/is not this program's database/);
    expect(fs.readFileSync(file, 'utf8')).toBe('my thesis, chapter 1\n');
  });

  it("finding 9: another program's drizzle database with a `states` table is not taken for ours", () => {
    const dir = tempDir();
    const file = path.join(dir, 'isu.sqlite');
    const other = new Database(file);
    other.exec('CREATE TABLE __drizzle_migrations (id INTEGER PRIMARY KEY, hash TEXT NOT NULL, created_at NUMERIC); CREATE TABLE states (code TEXT)');
    other.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('abc', 1234);
    other.close();
    expect(classifyDatabase(file).kind).toBe('foreign');
    expect(() => isNewDatabase(file)).toThrow(/is not this program's database/);
    expect(() => openDatabase(file, { migrate: true })).toThrow(/is not this program's database/);
  });

  it('finding 9: an absent or empty (0-byte) file is new; ours is recognised, also from before it was stamped', () => {
    const dir = tempDir();
    const file = path.join(dir, 'isu.sqlite');
    expect(classifyDatabase(file).kind).toBe('new');
    fs.writeFileSync(file, '');
    expect(classifyDatabase(file).kind).toBe('new');
    expect(isNewDatabase(file)).toBe(true);
    const r = isu(file, 'migrate');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(classifyDatabase(file).kind).toBe('ours');
    expect(isNewDatabase(file)).toBe(false);
    // A database migrated before the application id was stamped: recognised by its migrations, then stamped.
    const raw = new Database(file);
    raw.pragma('application_id = 0');
    raw.close();
    expect(classifyDatabase(file).kind).toBe('ours');
    openDatabase(file, { migrate: true }).close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('application_id', { simple: true })).not.toBe(0);
    check.close();
  });
});

describe('finding 10: the database and documents are readable by their owner only', () => {
  it('finding 10: a new database, its WAL and shared-memory files are 0600 and a new folder 0700, under umask 022', () => {
    const dir = path.join(tempDir(), 'data');
    const file = path.join(dir, 'isu.sqlite');
    const { sqlite, close } = openDatabase(file, { migrate: true });
    try {
      sqlite.exec("INSERT INTO settings (key, value, updated_at) VALUES ('probe', '1', '2026-01-01T00:00:00Z')");
      expect(modeOf(dir)).toBe(0o700);
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
    } finally {
      close();
    }
  });

  it('finding 10: an existing database of ours that is world-readable is tightened to 0600 when opened', () => {
    const file = path.join(tempDir(), 'isu.sqlite');
    openDatabase(file, { migrate: true }).close();
    fs.chmodSync(file, 0o644);
    openDatabase(file, { migrate: true }).close();
    expect(modeOf(file)).toBe(0o600);
  });

  it('finding 10: invoice PDFs and outbox messages are written 0600 in 0700 folders, and an existing folder is tightened', async () => {
    const root = tempDir();
    const invoiceDir = path.join(root, 'invoices');
    writeFileAtomic(path.join(invoiceDir, '2018', 'ISU-2018-0001.pdf'), Buffer.from('%PDF-1.7'));
    expect(modeOf(invoiceDir)).toBe(0o700);
    expect(modeOf(path.join(invoiceDir, '2018'))).toBe(0o700);
    expect(modeOf(path.join(invoiceDir, '2018', 'ISU-2018-0001.pdf'))).toBe(0o600);

    const outboxDir = path.join(root, 'outbox');
    fs.mkdirSync(outboxDir, { mode: 0o755 });
    fs.chmodSync(outboxDir, 0o755);
    const mailer = await openMailer({ transport: 'file', smtpUrl: null, from: null, outboxDir });
    const out = await mailer.send(
      { from: 'isu@example.org', to: 'mission@example.org', subject: 'Invoice', text: 't', html: '<p>t</p>', language: 'en', attachment: { filename: 'a.pdf', content: Buffer.from('%PDF') } },
      { kind: 'invoices', document: 'ISU-2018-0001' },
    );
    mailer.close();
    expect(out.status).toBe('written');
    expect(modeOf(outboxDir)).toBe(0o700);
    expect(modeOf(path.join(outboxDir, 'invoices'))).toBe(0o700);
    expect(modeOf(path.join(outboxDir, out.response))).toBe(0o600);
  });

  it('finding 10: `isu seed-demo` under umask 022 leaves nothing readable by others', () => {
    const dir = tempDir();
    const file = path.join(dir, 'db', 'isu.sqlite');
    const r = isu(file, 'seed-demo');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const offenders: string[] = [];
    const walk = (p: string) => {
      const st = fs.statSync(p);
      if ((st.mode & 0o077) !== 0) offenders.push(`${path.relative(dir, p)} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    };
    walk(dir);
    expect(offenders).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'db', 'invoices', '2018')).length).toBeGreaterThan(100);
    expect(fs.readdirSync(path.join(dir, 'db', 'outbox', 'invoices')).length).toBeGreaterThan(100);
    // What the command writes elsewhere (a backup, a report) is owner-only too; a document folder left open by an earlier version is tightened.
    const backup = isu(file, 'backup', '--to', path.join(dir, 'backup.sqlite'));
    expect(backup.code, backup.stderr).toBe(0);
    expect(modeOf(path.join(dir, 'backup.sqlite'))).toBe(0o600);
    const report = isu(file, 'report', 'status', '--year', '2018', '--as-of', '2018-12-31', '--pdf', path.join(dir, 'status.pdf'));
    expect(report.code, report.stderr).toBe(0);
    expect(modeOf(path.join(dir, 'status.pdf'))).toBe(0o600);
    fs.chmodSync(path.join(dir, 'db', 'invoices'), 0o755);
    expect(isu(file, 'verify').code).toBe(0);
    expect(modeOf(path.join(dir, 'db', 'invoices'))).toBe(0o700);
  });
});
