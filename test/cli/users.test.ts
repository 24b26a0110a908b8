/**
 * Issue 16, finding 4 at the command line: `isu user list|disable|enable|
 * set-password|set-role` and `isu token create|list|revoke`, audited under
 * the operating-system user (finding 12).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { authenticatePassword, authenticateToken } from '../../src/services/users.js';
import { tempDir } from '../helpers.js';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');
let dbPath: string;

function isu(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(TSX, [MAIN, ...args], {
    env: { ...process.env, ISU_DB: dbPath, ISU_OPERATOR: '', ...(opts.env ?? {}) },
    encoding: 'utf8',
    input: opts.input ?? '',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withDb<T>(fn: (ctx: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(dbPath, { migrate: false });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dbPath = path.join(tempDir(), 'users.sqlite');
  expect(isu(['user', 'add', '--username', 'boss', '--role', 'admin', '--json']).code).toBe(0);
});
afterAll(() => undefined);

describe('finding 4: users and tokens at the command line', () => {
  it('finding 4: isu token create (--expires days or date), token list and token revoke; bad arguments exit 2', () => {
    const alice = JSON.parse(isu(['user', 'add', '--username', 'alice', '--role', 'finance', '--json']).stdout) as { token: string };
    const created = isu(['token', 'create', '--username', 'alice', '--label', 'ci', '--expires', '30', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const t = JSON.parse(created.stdout) as { id: number; token: string; expiresAt: string; label: string; status: string };
    expect(t).toMatchObject({ label: 'ci', status: 'active', username: 'alice' });
    expect(Math.round((Date.parse(t.expiresAt) - Date.now()) / 86_400_000)).toBe(30);
    const year = new Date().getUTCFullYear() + 1;
    const dated = JSON.parse(isu(['token', 'create', '--username', 'alice', '--expires', `${year}-03-31`, '--json']).stdout) as { expiresAt: string };
    expect(dated.expiresAt).toBe(`${year}-04-01T00:00:00.000Z`);
    expect(isu(['token', 'create', '--username', 'alice', '--expires', 'soon']).code).toBe(2);
    expect(isu(['token', 'create', '--username', 'alice', '--expires', '0']).code).toBe(2);
    const past = isu(['token', 'create', '--username', 'alice', '--expires', '2020-01-01']);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/expiresAt: must be in the future/);

    const list = isu(['token', 'list', '--username', 'alice', '--json']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(t.token);
    expect((JSON.parse(list.stdout) as { label: string }[]).map((x) => x.label)).toEqual(['cli', 'ci', 'initial']);
    const table = isu(['token', 'list', '--username', 'alice']);
    expect(table.stdout).toMatch(/^Id\s+Label\s+Status\s+Created\s+Expires\s+Last used/);

    const revoked = isu(['token', 'revoke', '--id', String(t.id), '--reason', 'rotated']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`token ${t.id} of alice revoked`));
    expect(isu(['token', 'revoke', '--id', String(t.id)])).toMatchObject({ code: 1, stderr: expect.stringMatching(/revoked already/) });
    expect(isu(['token', 'revoke', '--id', 'abc']).code).toBe(2);
    withDb(({ sqlite }) => {
      expect(authenticateToken({ sqlite }, t.token)).toBeNull();
      expect(authenticateToken({ sqlite }, alice.token)).toMatchObject({ username: 'alice' });
    });
  });

  it('finding 4: isu user disable|enable|set-role|list; the last active admin stays; audited under the OS user and ISU_OPERATOR', () => {
    const bob = JSON.parse(isu(['user', 'add', '--username', 'bob', '--role', 'presidency', '--json']).stdout) as { token: string };
    const off = isu(['user', 'disable', '--username', 'bob', '--reason', 'left'], { env: { ISU_OPERATOR: 'carol' } });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toBe('user bob disabled: its tokens and sessions no longer work\n');
    withDb(({ sqlite }) => expect(authenticateToken({ sqlite }, bob.token)).toBeNull());
    const users = JSON.parse(isu(['user', 'list', '--json']).stdout) as { username: string; status: string }[];
    expect(users.find((u) => u.username === 'bob')!.status).toBe('disabled');
    expect(isu(['user', 'list']).stdout).toMatch(/^Username\s+Role\s+State\s+Status\s+Active tokens\s+Created/);
    expect(isu(['user', 'disable', '--username', 'bob']).code).toBe(1);
    expect(isu(['user', 'enable', '--username', 'bob']).code).toBe(0);
    withDb(({ sqlite }) => expect(authenticateToken({ sqlite }, bob.token)).toMatchObject({ username: 'bob' }));

    expect(isu(['user', 'set-role', '--username', 'bob', '--role', 'auditor']).code).toBe(0);
    withDb(({ sqlite }) => expect(authenticateToken({ sqlite }, bob.token)).toMatchObject({ role: 'auditor' }));
    expect(isu(['user', 'set-role', '--username', 'bob', '--role', 'state'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/state: a state user needs a State/) });
    expect(isu(['user', 'set-role', '--username', 'bob', '--role', 'root']).code).not.toBe(0);

    const last = isu(['user', 'disable', '--username', 'boss']);
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/last active admin/);
    expect(isu(['user', 'set-role', '--username', 'boss', '--role', 'finance']).stderr).toMatch(/last active admin/);

    const osUser = os.userInfo().username;
    const rows = withDb(({ sqlite }) => sqlite.prepare("SELECT username, action FROM audit_log WHERE entity_id = 'bob' ORDER BY id").all() as { username: string; action: string }[]);
    expect(rows).toEqual([
      { username: `cli:${osUser}`, action: 'cli: user add' },
      { username: `cli:carol (os: ${osUser})`, action: 'cli: user disable' },
      { username: `cli:${osUser}`, action: 'cli: user enable' },
      { username: `cli:${osUser}`, action: 'cli: user set-role' },
    ]);
  });

  it('finding 4: isu user set-password reads the password from stdin (never from argv) or generates one, and checks it', () => {
    isu(['user', 'add', '--username', 'dora', '--role', 'auditor', '--json']);
    const ok = isu(['user', 'set-password', '--username', 'dora'], { input: 'new-secret-pass-1\n' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('password of dora set; its web sessions end\n');
    withDb(({ db, sqlite }) => expect(authenticatePassword({ db, sqlite, invoiceDir: '' }, 'dora', 'new-secret-pass-1')).toMatchObject({ username: 'dora' }));
    const weak = isu(['user', 'set-password', '--username', 'dora'], { input: 'short\n' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/password: must be at least 12 characters/);
    expect(isu(['user', 'set-password', '--username', 'dora'], { input: '' })).toMatchObject({ code: 2, stderr: expect.stringMatching(/no password on stdin/) });
    expect(isu(['user', 'set-password', '--username', 'dora', '--password', 'x'.repeat(20)]).code).not.toBe(0);
    const generated = isu(['user', 'set-password', '--username', 'dora', '--generate', '--json']);
    expect(generated.code, generated.stderr).toBe(0);
    const { password } = JSON.parse(generated.stdout) as { password: string };
    withDb(({ db, sqlite }) => expect(authenticatePassword({ db, sqlite, invoiceDir: '' }, 'dora', password)).toMatchObject({ username: 'dora' }));
    expect(isu(['user', 'set-password', '--username', 'nobody'], { input: 'a-good-password-1\n' })).toMatchObject({ code: 1, stderr: expect.stringMatching(/User nobody was not found/) });
  });
});
