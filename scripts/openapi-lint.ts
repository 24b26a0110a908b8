/**
 * `npm run lint:openapi`: writes the app's OpenAPI document (the app built on
 * a new, empty database in a temporary folder: the document depends on the
 * routes only) and lints it with Redocly CLI under redocly.yaml (the
 * recommended rules). Lists every problem; exits 1 on an error, not on a
 * warning. `--out FILE` keeps the document. test/http/openapi-lint.test.ts
 * runs the same lint, so `npm test` enforces it. No network: telemetry and
 * the update check are off.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { buildApp } from '../src/http/app.js';

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}
export interface LintResult {
  file: string;
  totals: { errors: number; warnings: number; ignored: number };
  problems: LintProblem[];
}

/** The OpenAPI document as GET /api/v1/openapi.json serves it. */
export async function openApiDocument(): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isu-openapi-'));
  const { db, sqlite, close } = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
  try {
    const app = await buildApp({ db, sqlite, invoiceDir: path.join(dir, 'invoices') });
    await app.ready();
    const doc = app.swagger();
    await app.close();
    return doc;
  } finally {
    close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const redoclyBin = () => {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('@redocly/cli/package.json');
  const bin = (JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { bin: Record<string, string> }).bin.redocly!;
  return path.join(path.dirname(pkgFile), bin);
};

/** Writes the app's document to `file` (default a temporary file) and lints it. */
export async function lintOpenApi(file?: string): Promise<LintResult> {
  return lintDocument(await openApiDocument(), file);
}

/** Writes a document to `file` (default a temporary file) and lints it. */
export async function lintDocument(doc: unknown, file?: string): Promise<LintResult> {
  const tmp = file === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'isu-openapi-')) : null;
  const target = file ?? path.join(tmp!, 'openapi.json');
  fs.writeFileSync(target, `${JSON.stringify(doc, null, 2)}\n`);
  try {
    const args = [redoclyBin(), 'lint', target, '--config', path.join(PROJECT_ROOT, 'redocly.yaml'), '--format=json', '--max-problems=1000'];
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
    // Redocly exits 1 when it finds an error: the JSON report on stdout is read either way.
    const stdout = await promisify(execFile)(process.execPath, args, { env, cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
      (r) => r.stdout,
      (e: { stdout?: string; stderr?: string }) => {
        if (!e.stdout) throw new Error(`redocly lint failed: ${e.stderr ?? String(e)}`);
        return e.stdout;
      },
    );
    const report = JSON.parse(stdout) as Omit<LintResult, 'file'>;
    return { file: target, totals: report.totals, problems: report.problems };
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatProblems(problems: LintProblem[]): string[] {
  return problems.map((p) => `${p.severity === 'error' ? 'error  ' : 'warning'} ${p.ruleId}: ${p.message} (${p.location.map((l) => l.pointer).join(', ')})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv.indexOf('--out');
  const file = out >= 0 ? path.resolve(process.argv[out + 1] ?? 'openapi.json') : undefined;
  const result = await lintOpenApi(file);
  for (const line of formatProblems(result.problems)) console.log(line);
  console.log(`OpenAPI lint (Redocly, redocly.yaml): ${result.totals.errors} errors, ${result.totals.warnings} warnings${file ? `; document in ${file}` : ''}`);
  process.exitCode = result.totals.errors > 0 ? 1 : 0;
}
