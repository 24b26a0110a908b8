/**
 * The README's examples run verbatim (issue 12). Every line of every `sh`
 * block runs, in README order, under `bash -euo pipefail` from the project's
 * root, on a demo database of its own and against a server of its own; the
 * one change is that `http://127.0.0.1:3000` points at that server. Left out:
 * `npm install`, `npm start`, `npm test` and the benchmarks, which the CI run
 * itself exercises (npm ci, the tests) or which take minutes. `npm run isu`
 * runs the compiled program without its prebuild step (test/global-setup.ts
 * built it once), so that parallel tests never compile at the same time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import { tempDir } from './helpers.js';

const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const SKIP = [/^npm (install|start|test|ci)\b/, /^npm run (bench|test)/];

/** The `sh` blocks of a Markdown text, each as its non-empty lines. */
export function shellBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.split('\n').filter((l) => l.trim() !== ''));
}

const lines = shellBlocks(README)
  .flat()
  .filter((l) => !SKIP.some((re) => re.test(l)));

let dir: string;
let base: string;
let env: NodeJS.ProcessEnv;
let server: ChildProcess | null = null;

beforeAll(async () => {
  dir = tempDir();
  env = {
    ...process.env,
    ISU_DB: path.join(dir, 'demo.sqlite'),
    ISU_INVOICE_DIR: path.join(dir, 'invoices'),
    ISU_OUTBOX_DIR: path.join(dir, 'outbox'),
    ISU_SMTP_URL: '',
    TMPDIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    npm_config_ignore_scripts: 'true',
  };
  const bin = path.join(PROJECT_ROOT, 'bin', 'isu.mjs');
  const seeded = spawnSync(process.execPath, [bin, 'seed-demo'], { env, encoding: 'utf8' });
  expect(seeded.status, seeded.stderr).toBe(0);
  server = spawn(process.execPath, [bin, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/api\/v1\/health/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    server!.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}, 120_000);

afterAll(() => {
  server?.kill('SIGTERM');
});

describe('the README', () => {
  it('has examples to run, and reads each sh block apart', () => {
    expect(shellBlocks('x\n```sh\na\n\nb\n```\n```json\n{}\n```\n```sh\nc\n```\n')).toEqual([['a', 'b'], ['c']]);
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.filter((l) => l.startsWith('curl')).length).toBeGreaterThanOrEqual(4);
    expect(lines.filter((l) => l.startsWith('npm run isu')).length).toBeGreaterThanOrEqual(6);
  });

  it('runs every example verbatim, in order, each succeeding and printing something', () => {
    for (const line of lines) {
      const command = line.replaceAll('http://127.0.0.1:3000', base);
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', command], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout.trim().length, line).toBeGreaterThan(0);
      expect(r.stdout, line).not.toMatch(/"status":\s*(4|5)\d\d|Error:/);
    }
    // What they did is there: the 2019 invoices, and the backup.
    const check = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'isu.mjs'), 'report', 'status', '--year', '2019', '--json'], { env, encoding: 'utf8' });
    expect(JSON.parse(check.stdout).totals.assessed).toBe('600000.00');
    expect(fs.existsSync(path.join(dir, 'isu-backup.sqlite'))).toBe(true);
  }, 300_000);
});
