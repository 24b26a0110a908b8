import { describe, expect, it } from 'vitest';
import { ACCOUNT_NAMES } from '../../src/domain/ledger.js';
import { makeEnv } from '../helpers.js';

describe('the accounts table', () => {
  it('holds exactly the chart of accounts of the domain, with the same names and types', async () => {
    const env = await makeEnv();
    try {
      const rows = env.ctx.sqlite.prepare('SELECT code, name, type FROM accounts ORDER BY code').all() as { code: string; name: string; type: string }[];
      expect(rows).toEqual(Object.entries(ACCOUNT_NAMES).sort(([a], [b]) => a.localeCompare(b)).map(([code, v]) => ({ code, name: v.name, type: v.type })));
    } finally {
      await env.close();
    }
  });

  it('refuses to change or delete a bank line, a reminder or a delivery', async () => {
    const env = await makeEnv();
    try {
      for (const t of ['bank_statements', 'bank_lines', 'bank_line_actions', 'reminders', 'reminder_lines', 'deliveries']) {
        expect(() => env.ctx.sqlite.prepare(`DELETE FROM ${t}`).run()).not.toThrow(); // empty table: the trigger fires per row
        const triggers = env.ctx.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?").all(t) as { name: string }[];
        expect(triggers.map((r) => r.name).sort()).toEqual([`${t}_no_delete`, `${t}_no_update`]);
      }
    } finally {
      await env.close();
    }
  });
});
