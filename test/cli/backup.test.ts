/**
 * `isu backup --to FILE` uses SQLite's online backup while the server runs
 * (its WAL open, requests going on); the copy restores to the same balances
 * and a passing verify.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { getBalance } from '../../src/services/accounts.js';
import { listStates } from '../../src/services/states.js';
import { startServerProcess, tempDir } from '../helpers.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

describe('isu backup', () => {
  const children: import('node:child_process').ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGTERM')));

  it('copies a live database; the restored copy has the same balances and verifies', async () => {
    const dir = tempDir();
    const env = { ...process.env, ISU_DB: path.join(dir, 'live.sqlite'), ISU_INVOICE_DIR: path.join(dir, 'invoices'), ISU_OUTBOX_DIR: path.join(dir, 'outbox'), PORT: '0', HOST: '127.0.0.1' };
    const { base, child: server } = await startServerProcess(env);
    children.push(server);
    // The server is live and answering while the backup runs.
    const reads = Array.from({ length: 20 }, () => fetch(`${base}/api/v1/states/FRA/balance`, { headers: { authorization: 'Bearer demo-token-finance' } }));
    const backupFile = path.join(dir, 'backup.sqlite');
    const r = spawnSync(TSX, [MAIN, 'backup', '--to', backupFile], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ledger in the copy verified/);
    expect((await Promise.all(reads)).every((res) => res.status === 200)).toBe(true);
    expect(spawnSync(TSX, [MAIN, 'backup', '--to', backupFile], { env, encoding: 'utf8' }).status).toBe(2);

    // Restore: copy the backup to a new place and use it as the database.
    const restored = path.join(dir, 'restored.sqlite');
    fs.copyFileSync(backupFile, restored);
    const verify = spawnSync(TSX, [MAIN, 'verify'], { env: { ...env, ISU_DB: restored }, encoding: 'utf8' });
    expect(verify.status).toBe(0);
    const live = openDatabase(env.ISU_DB, { readonly: true });
    const copy = openDatabase(restored);
    const liveCtx = { db: live.db, sqlite: live.sqlite, invoiceDir: '' };
    const copyCtx = { db: copy.db, sqlite: copy.sqlite, invoiceDir: '' };
    const states = listStates(liveCtx).map((s) => s.iso3);
    expect(states).toHaveLength(103);
    for (const iso3 of states) expect(getBalance(copyCtx, iso3, '2026-01-01')).toEqual(getBalance(liveCtx, iso3, '2026-01-01'));
    live.close();
    copy.close();
  });
});
