#!/usr/bin/env node
/**
 * The `isu` command (SPEC 6). `npm run isu -- <command>`. Never prompts, except
 * `isu user set-password` at a terminal (for the password, not echoed).
 */
import fs from 'node:fs';
import { Command, Option, type OptionValues } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { classifyDatabase, ForeignDatabaseError, isNewDatabase, openDatabase } from '../db/client.js';
import { ensurePrivateDir } from '../services/files.js';
import { getLimits, setLimits } from '../services/limits.js';
import { limitsSettings } from '../schemas/limits.js';
import { buildApp } from '../http/app.js';
import { budgetCreate, budgetRevisionCreate } from '../schemas/budgets.js';
import { scaleCreate } from '../schemas/scales.js';
import { stateImport } from '../schemas/states.js';
import { cliActor, ROLES, type Role } from '../services/actor.js';
import { assessBudget, createBudget } from '../services/budgets.js';
import { budgetExecution, executionCsv } from '../services/budget-lines.js';
import { recordExpenditure } from '../services/reserve.js';
import { importExpenditures, parseExpendituresCsv } from '../services/expenditures-import.js';
import { expenditureBody } from '../schemas/reserve.js';
import { reviseBudget } from '../services/revisions.js';
import type { Ctx } from '../services/context.js';
import { DEMO_LOGINS, isDemoLoaded, seedDemo } from '../services/demo.js';
import { NotFoundError, ServiceError } from '../services/errors.js';
import { createScale, parseScaleCsv } from '../services/scales.js';
import { importStates, parseStatesCsv } from '../services/states.js';
import { addUser, createToken, disableUser, enableUser, generatePassword, listTokens, listUsers, revokeToken, setPassword, setRole } from '../services/users.js';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, type UserOut } from '../schemas/users.js';
import { verifyLedger } from '../services/verify.js';
import { creditNoteXml, invoiceXml, issueInvoiceBatch } from '../services/invoices.js';
import { issueReminders, remindersDue } from '../services/reminders.js';
import { reminderIssueBody } from '../schemas/reminders.js';
import { applyHeldCredit } from '../services/payments.js';
import { reallocatePayment, reverseExpenditure, reversePayment, reverseReserveMovement } from '../services/corrections.js';
import { closePeriod, listPeriods, reopenPeriod } from '../services/periods.js';
import { closeYear } from '../services/closing.js';
import { financialStatement, financialStatementCsv, financialStatementRows } from '../services/financial-statement.js';
import {
  approveIssuerChange,
  issuerDecisionIn,
  issuerProposalQuery,
  issuerRejectionIn,
  issuerSettingsSchema,
  listIssuerChanges,
  pendingIssuerChange,
  rejectIssuerChange,
  requireIssuer,
  setIssuer,
  type IssuerChangeOut,
} from '../services/settings.js';
import { statusOfContributions, statusReportCsv } from '../services/reports.js';
import { STATUS_LABEL, renderStatusReportPdf } from '../pdf/status-report.js';
import { renderExecutionPdf } from '../pdf/budget-execution.js';
import { renderFinancialStatementPdf } from '../pdf/financial-statement.js';
import { renderExecutionXlsx, renderFinancialStatementXlsx, renderStatusReportXlsx } from '../xlsx/reports.js';
import { isIsoDate } from '../domain/dates.js';
import { importBankFile, type BankImportOut } from '../services/bank/import.js';
import { bookBankLine, ignoreBankLine, listBankLines, listBankStatements, matchBankLine, type BankLineOut } from '../services/bank/lines.js';
import { bankLineBook, bankLineIgnore, bankLineMatch, lineStatus } from '../schemas/bank.js';
import { printTable } from './table.js';
import { emitReport, outputOptions, type OutputFlags } from './report-output.js';
import { DELIVERY_KINDS, deliveryCreate, deliveryListQuery, type DeliveryKind, type DeliveryRunOut } from '../schemas/deliveries.js';
import { listDeliveries, retryDeliveries, sendDocuments } from '../services/delivery/index.js';

// A reader that closes the pipe early (`isu report status | head`) ends the command quietly, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Everything this command creates (database, backups, documents, reports) is readable by its owner only (SPEC 9.8).
process.umask(0o077);

const config: Config = loadConfig();

/** The services' context on an open database, with the configuration. */
function ctxOf(db: Ctx['db'], sqlite: Ctx['sqlite']): Ctx {
  // Document folders made by an earlier version (or by git) are tightened to owner-only.
  for (const dir of [config.invoiceDir, config.outboxDir]) if (fs.existsSync(dir)) ensurePrivateDir(dir);
  return { db, sqlite, invoiceDir: config.invoiceDir, smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, outboxDir: config.outboxDir };
}

function withCtx<T>(fn: (ctx: Ctx) => T, { migrate = true } = {}): T {
  const { db, sqlite, close } = openDatabase(config.dbPath, { migrate });
  try {
    return fn(ctxOf(db, sqlite));
  } finally {
    close();
  }
}

async function withCtxAsync<T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const { db, sqlite, close } = openDatabase(config.dbPath, { migrate: true });
  try {
    return await fn(ctxOf(db, sqlite));
  } finally {
    close();
  }
}

/** A progress bar on a terminal (stderr), nothing otherwise. */
function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  return (done: number, count: number) => {
    if (!tty) return;
    const width = 30;
    const filled = count === 0 ? width : Math.floor((done * width) / count);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${count}`);
    if (done === count) process.stderr.write('\n');
  };
}

function fail(message: string, code = 1): never {
  process.stderr.write(`isu: ${message}\n`);
  process.exit(code);
}

function intArg(name: string) {
  return (value: string) => {
    if (!/^[0-9]{4}$/.test(value)) fail(`${name} must be a four-digit year, got ${JSON.stringify(value)}`, 2);
    return Number.parseInt(value, 10);
  };
}

/** Runs `fn`, printing a ServiceError or zod error the way the API would name it. */
function run(fn: () => void | Promise<void>) {
  return async () => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof ForeignDatabaseError) fail(e.message);
      if (e instanceof ServiceError) {
        const fields = e.errors.map((f) => `\n  ${f.field}: ${f.message}`).join('');
        fail(`${e.message}${fields}`);
      }
      if (e && typeof e === 'object' && 'issues' in e) {
        const issues = (e as { issues: { path: PropertyKey[]; message: string }[] }).issues;
        fail(`invalid input:${issues.map((i) => `\n  ${i.path.join('.')}: ${i.message}`).join('')}`);
      }
      throw e;
    }
  };
}

function printDemoBanner(base: string, demo: boolean) {
  const lines = [
    '',
    'ISU contributions and budget tracker',
    `  dashboard    ${base}/dashboard  (log in at ${base}/login)`,
    `  health       ${base}/api/v1/health`,
    `  API docs     ${base}/docs`,
    `  OpenAPI      ${base}/api/v1/openapi.json`,
    `  assessment   ${base}/api/v1/budgets/2018/assessment`,
    `  database     ${config.dbPath}`,
  ];
  if (demo) {
    lines.push('', 'Demo logins (illustrative data; for the demo database only):');
    for (const l of DEMO_LOGINS)
      lines.push(`  ${l.role.padEnd(10)} ${l.username.padEnd(11)} password ${l.password.padEnd(16)} token ${l.token}${l.state ? `  (${l.state})` : ''}`);
    lines.push('', `Try: curl -H 'Authorization: Bearer demo-token-finance' ${base}/api/v1/budgets/2018/assessment`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

async function serve({ banner = true } = {}) {
  const { db, sqlite, close } = openDatabase(config.dbPath, { migrate: true });
  const ctx = ctxOf(db, sqlite);
  const app = await buildApp(ctx, { logger: true, allowedHosts: config.allowedHosts, timeouts: config.timeouts, trustProxy: config.trustProxy });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  if (banner) printDemoBanner(`http://${host}:${port}`, isDemoLoaded(ctx));
}

/** Creates and seeds a new demo database atomically: built beside the target, then renamed into place. */
async function createDemoDatabase() {
  const building = `${config.dbPath}.building`;
  // A demo left half-built by an interrupted start is ours to remove; any other file of that name is not.
  const leftover = classifyDatabase(building);
  if (leftover.kind === 'foreign') throw new ForeignDatabaseError(building, leftover.reason);
  for (const f of [building, `${building}-wal`, `${building}-shm`]) fs.rmSync(f, { force: true });
  const { db, sqlite, close } = openDatabase(building, { migrate: true });
  try {
    const result = await seedDemo(ctxOf(db, sqlite), cliActor('seed-demo'));
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    close();
    fs.renameSync(building, config.dbPath);
    return result;
  } catch (e) {
    close();
    throw e;
  }
}

const program = new Command('isu')
  .description('ISU contributions and budget tracker (Convention on Cluster Munitions)')
  .showHelpAfterError()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('migrate')
  .description('create the database if needed and apply the migrations')
  .action(
    run(() => {
      withCtx(() => undefined);
      process.stdout.write(`migrated ${config.dbPath}\n`);
    }),
  );

program
  .command('seed-demo')
  .description('load the demo data into a new, empty database')
  .action(
    run(async () => {
      const r = await withCtxAsync((ctx) => seedDemo(ctx, cliActor('seed-demo')));
      process.stdout.write(
        `demo loaded: ${r.states} States, ${r.assessed2018} assessed for 2018; ${r.invoices} invoices for 2016–2018 (${r.invoices2018} for 2018), ${r.payments} payments; ${r.delivered} invoice e-mails written to ${config.outboxDir}\n`,
      );
    }),
  );

program
  .command('serve')
  .description('serve the database as it is (never loads the demo)')
  .action(run(() => serve()));

program
  .command('start')
  .description('what `npm start` does: migrate, load the demo into a new database, serve')
  .action(
    run(async () => {
      if (isNewDatabase(config.dbPath)) {
        const r = await createDemoDatabase();
        process.stdout.write(
          `created the demo database ${config.dbPath}: ${r.states} States, ${r.assessed2018} assessed for 2018; ${r.invoices} invoices for 2016–2018 (${r.invoices2018} for 2018), ${r.payments} payments; ${r.delivered} invoice e-mails written to ${config.outboxDir}\n`,
        );
      }
      await serve();
    }),
  );

const user = program.command('user').description('users and roles');
user
  .command('add')
  .description('add a user; prints a generated password and an API token once')
  .requiredOption('--username <username>')
  .addOption(new Option('--role <role>').choices(ROLES as unknown as string[]).makeOptionMandatory())
  .option('--state <iso3>', 'the State of a state user')
  .option('--json', 'print one JSON line {username, role, password, token}')
  .action(
    run(function (this: Command) {
      const o = user.commands.find((c) => c.name() === 'add')!.opts<{ username: string; role: Role; state?: string; json?: boolean }>();
      const r = withCtx((ctx) => addUser(ctx, cliActor('user add'), { username: o.username, role: o.role, state: o.state ?? null }));
      if (o.json) process.stdout.write(`${JSON.stringify({ username: r.username, role: r.role, password: r.password, token: r.token })}\n`);
      else
        process.stdout.write(
          `user ${r.username} (${r.role}${r.state ? `, ${r.state}` : ''}) created\n  password ${r.password}\n  token    ${r.token}\nThey are shown once; only their hashes are stored.\n`,
        );
    }),
  );

/** The user subcommand's options (commander keeps them on the subcommand). */
function optsOf<T extends OptionValues>(parent: Command, name: string): T {
  return parent.commands.find((c) => c.name() === name)!.opts<T>();
}

function printUsers(rows: UserOut[]) {
  printTable(
    ['Username', 'Role', 'State', 'Status', 'Active tokens', 'Created'],
    rows.map((u) => [u.username, u.role, u.state ?? '', u.status, String(u.activeTokens), u.createdAt.slice(0, 10)]),
  );
}

/** `--expires`: a number of days (1–3650) or a date YYYY-MM-DD (the token works through that day, UTC). */
function expiresArg(value: string): { expiresInDays: number } | { expiresAt: string } {
  if (/^[0-9]{1,4}$/.test(value)) {
    const days = Number.parseInt(value, 10);
    if (days < 1 || days > MAX_TOKEN_DAYS) fail(`--expires in days must be from 1 to ${MAX_TOKEN_DAYS}, got ${value}`, 2);
    return { expiresInDays: days };
  }
  if (!isIsoDate(value)) fail(`--expires must be a number of days or a date YYYY-MM-DD, got ${JSON.stringify(value)}`, 2);
  return { expiresAt: value };
}

/** A password typed at the terminal, not echoed. */
async function promptHidden(question: string): Promise<string> {
  const readline = await import('node:readline');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write(question);
  // Nothing typed is echoed (readline's output hook; the prompt is already written).
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

/**
 * The new password for `user set-password`: typed twice at a terminal
 * (not echoed), or the whole of stdin when it is a pipe or a file (one
 * trailing newline dropped). Never an argument: argv is visible to every
 * user of the machine (ps) and kept in shell histories.
 */
async function readNewPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden('new password: ');
    const again = await promptHidden('again: ');
    if (first !== again) fail('the two passwords differ', 2);
    return first;
  }
  const text = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (text === '') fail('no password on stdin: pipe it in (e.g. from a password manager), type it at a terminal, or use --generate', 2);
  return text;
}

user
  .command('list')
  .description('every user: role, State, status, active tokens')
  .option('--json', 'the API list (GET /admin/users)')
  .action(
    run(() => {
      const o = optsOf<{ json?: boolean }>(user, 'list');
      const rows = withCtx((ctx) => listUsers(ctx.db));
      if (o.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
      else printUsers(rows);
    }),
  );

user
  .command('disable')
  .description('disable a user: its tokens and web sessions stop working at once (not the last active admin)')
  .requiredOption('--username <username>')
  .option('--reason <text>', 'why, for the audit log')
  .action(
    run(() => {
      const o = optsOf<{ username: string; reason?: string }>(user, 'disable');
      withCtx((ctx) => disableUser(ctx, cliActor('user disable'), o.username, o.reason));
      process.stdout.write(`user ${o.username} disabled: its tokens and sessions no longer work\n`);
    }),
  );

user
  .command('enable')
  .description('enable a disabled user again: its tokens neither revoked nor expired work again')
  .requiredOption('--username <username>')
  .option('--reason <text>', 'why, for the audit log')
  .action(
    run(() => {
      const o = optsOf<{ username: string; reason?: string }>(user, 'enable');
      withCtx((ctx) => enableUser(ctx, cliActor('user enable'), o.username, o.reason));
      process.stdout.write(`user ${o.username} enabled\n`);
    }),
  );

user
  .command('set-password')
  .description('set a user’s password, read from stdin or typed at the terminal (12–1024 characters, not containing the username); its web sessions end')
  .requiredOption('--username <username>')
  .option('--generate', 'generate a password and print it once')
  .option('--json', 'with --generate: print one JSON line {username, password}')
  .action(
    run(async () => {
      const o = optsOf<{ username: string; generate?: boolean; json?: boolean }>(user, 'set-password');
      const password = o.generate ? generatePassword() : await readNewPassword();
      withCtx((ctx) => setPassword(ctx, cliActor('user set-password'), o.username, password));
      if (o.generate && o.json) process.stdout.write(`${JSON.stringify({ username: o.username, password })}\n`);
      else if (o.generate) process.stdout.write(`password of ${o.username} set; its web sessions end\n  password ${password}\nShown once; only its hash is stored.\n`);
      else process.stdout.write(`password of ${o.username} set; its web sessions end\n`);
    }),
  );

user
  .command('set-role')
  .description('change a user’s role (the state role needs --state); applies at once (not the last active admin)')
  .requiredOption('--username <username>')
  .addOption(new Option('--role <role>').choices(ROLES as unknown as string[]).makeOptionMandatory())
  .option('--state <iso3>', 'the State of a state user')
  .action(
    run(() => {
      const o = optsOf<{ username: string; role: Role; state?: string }>(user, 'set-role');
      const u = withCtx((ctx) => setRole(ctx, cliActor('user set-role'), o.username, { role: o.role, state: o.state ?? null }));
      process.stdout.write(`user ${u.username} is now ${u.role}${u.state ? ` of ${u.state}` : ''}\n`);
    }),
  );

const token = program.command('token').description('API tokens');
token
  .command('create')
  .description('create a new API token for a user; printed once; it expires after 365 days unless --expires says otherwise')
  .requiredOption('--username <username>')
  .option('--label <label>', 'what the token is for', 'cli')
  .option('--expires <days|date>', `lifetime in days (1–${MAX_TOKEN_DAYS}) or the last day it works, YYYY-MM-DD (default ${DEFAULT_TOKEN_DAYS} days)`, expiresArg)
  .option('--json', 'print one JSON line {id, username, label, status, createdAt, expiresAt, …, token}')
  .action(
    run(() => {
      const o = optsOf<{ username: string; label: string; expires?: { expiresInDays: number } | { expiresAt: string }; json?: boolean }>(token, 'create');
      const r = withCtx((ctx) => createToken(ctx, cliActor('token create'), o.username, { label: o.label, ...(o.expires ?? {}) }));
      process.stdout.write(
        o.json ? `${JSON.stringify(r)}\n` : `token ${r.id} for ${r.username}, expires ${r.expiresAt}: ${r.token}\nShown once; only its hash is stored.\n`,
      );
    }),
  );

token
  .command('list')
  .description('a user’s API tokens: label, status, created, expires, last used (never the token)')
  .requiredOption('--username <username>')
  .option('--json', 'the API list (GET /admin/users/{username}/tokens)')
  .action(
    run(() => {
      const o = optsOf<{ username: string; json?: boolean }>(token, 'list');
      const rows = withCtx((ctx) => listTokens(ctx.db, o.username));
      if (o.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
      else
        printTable(
          ['Id', 'Label', 'Status', 'Created', 'Expires', 'Last used'],
          rows.map((t) => [String(t.id), t.label, t.status, t.createdAt.slice(0, 16), t.expiresAt.slice(0, 16), t.lastUsedAt?.slice(0, 16) ?? 'never']),
        );
    }),
  );

token
  .command('revoke')
  .description('revoke an API token for good (its id from `isu token list`)')
  .requiredOption('--id <id>', 'the token id', idArg)
  .option('--reason <text>', 'why, for the audit log')
  .action(
    run(() => {
      const o = optsOf<{ id: number; reason?: string }>(token, 'revoke');
      const t = withCtx((ctx) => revokeToken(ctx, cliActor('token revoke'), o.id, o.reason));
      process.stdout.write(`token ${t.id} of ${t.username} revoked\n`);
    }),
  );

program
  .command('assess')
  .description("every assessed State's contribution for a budget year")
  .requiredOption('--year <year>', 'budget year', intArg('--year'))
  .option('--version <n>', 'a version of the budget (1: as adopted; default the version in force)', idArg)
  .option('--json', 'the API assessment document')
  .action(
    run(() => {
      const o = program.commands.find((c) => c.name() === 'assess')!.opts<{ year: number; version?: number; json?: boolean }>();
      const doc = withCtx((ctx) => assessBudget(ctx, o.year, o.version));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(doc)}\n`);
        return;
      }
      const codes = doc.categories.map((c) => c.code);
      printTable(
        ['ISO3', 'State', 'Rate %', 'Rebased %', ...codes, 'Total CHF'],
        doc.rows.map((r) => [r.iso3, r.name, r.rate ?? '', r.rebasedRate ?? '', ...codes.map((c) => r.amounts[c] ?? ''), r.total]),
        ['', `${doc.states} States`, '', '', ...doc.categories.map((c) => c.total), doc.total],
      );
    }),
  );

program
  .command('verify')
  .description('check the ledger invariants; exits non-zero on a breach')
  .option('--json')
  .action(
    run(() => {
      const o = program.commands.find((c) => c.name() === 'verify')!.opts<{ json?: boolean }>();
      const report = withCtx((ctx) => verifyLedger(ctx));

      if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        for (const c of report.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}${c.ok ? '' : `: ${c.detail}`}\n`);
        process.stdout.write(
          `${report.ok ? 'ledger verified' : 'LEDGER BREACH'}: ${report.counts.journalEntries} journal entries, ${report.counts.postings} postings, ${report.counts.auditRows} audit rows\n`,
        );
      }
      if (!report.ok) process.exitCode = 1;
    }),
  );

const budgetsCmd = program.command('budgets').description('budgets');
budgetsCmd
  .command('revise')
  .description('revise an invoiced budget (SPEC 9.3): version n+1, supplementary invoices and partial credit notes; the same decision again completes it')
  .requiredOption('--year <year>', 'budget year', intArg('--year'))
  .option('--amount <chf>', 'the revised budget, e.g. 625000.00')
  .option('--scale <code>', 'the scale to assess with')
  .option('--scheme <file>', 'the revised scheme, a JSON file shaped like the budget\'s `scheme`')
  .option('--lines <file>', 'the revised lines, a JSON file shaped like the budget\'s `lines` (required when the amount changes and the budget has lines)')
  .requiredOption('--decision <ref>', 'the MSP decision revising the budget')
  .requiredOption('--approved-on <date>', 'date of the decision', dateArg('--approved-on'))
  .requiredOption('--reason <text>', 'printed on the credit notes')
  .option('--issue-date <date>', 'date of the documents (default today)', dateArg('--issue-date'))
  .option('--cutoff-date <date>', 'cut-off date of the supplementary invoices', dateArg('--cutoff-date'))
  .option('--json', 'print the result as JSON')
  .action(
    (o: { year: number; amount?: string; scale?: string; scheme?: string; lines?: string; decision: string; approvedOn: string; reason: string; issueDate?: string; cutoffDate?: string; json?: boolean }) =>
      run(async () => {
        const body = budgetRevisionCreate.parse({
          ...(o.amount !== undefined && { amount: o.amount }),
          ...(o.scale !== undefined && { scaleCode: o.scale }),
          ...(o.scheme !== undefined && { scheme: JSON.parse(fs.readFileSync(o.scheme, 'utf8')) as unknown }),
          ...(o.lines !== undefined && { lines: JSON.parse(fs.readFileSync(o.lines, 'utf8')) as unknown }),
          decisionRef: o.decision,
          approvedOn: o.approvedOn,
          reason: o.reason,
          ...(o.issueDate !== undefined && { issueDate: o.issueDate }),
          ...(o.cutoffDate !== undefined && { cutoffDate: o.cutoffDate }),
        });
        const r = await withCtxAsync((ctx) => reviseBudget(ctx, cliActor('budgets revise'), o.year, body));
        if (o.json) {
          process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        const sup = r.states.filter((s) => s.supplementaryInvoice).length;
        const cns = r.states.reduce((n, s) => n + s.creditNotes.length, 0);
        process.stdout.write(
          `${r.year} budget ${r.replayed ? 'revision completed' : 'revised'}: version ${r.version} (${r.decisionRef}), CHF ${r.previousAmount} → CHF ${r.amount}; ` +
            `${sup} supplementary invoice(s) for CHF ${r.totals.supplementary}, ${cns} credit note(s) for CHF ${r.totals.credited}\n`,
        );
        const skipped = r.states.filter((s) => s.outcome === 'skipped');
        for (const s of skipped) process.stdout.write(`  ${s.iso3} skipped: ${s.reason}\n`);
      })(),
  );

const invoicesCmd = program.command('invoices').description('invoices and credit notes');
invoicesCmd
  .command('issue')
  .description('issue the invoice batch of a budget: one per assessed State; idempotent')
  .requiredOption('--year <year>', 'budget year', intArg('--year'))
  .option('--issue-date <date>', 'issue date (default today; never before the approval)')
  .option('--json', 'print the result as JSON')
  .action((o: { year: number; issueDate?: string; json?: boolean }) =>
    run(async () => {
      const r = await withCtxAsync((ctx) =>
        issueInvoiceBatch(ctx, cliActor('invoices issue'), o.year, { issueDate: o.issueDate, onProgress: progressBar(`invoices ${o.year}`) }),
      );
      if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else {
        const first = r.issued[0]?.number;
        const last = r.issued.at(-1)?.number;
        process.stdout.write(
          `${r.issued.length} invoice(s) issued${first ? ` (${first} … ${last})` : ''} dated ${r.issueDate}; ${r.alreadyIssued} already existed` +
            `${r.skipped.length ? `; ${r.skipped.length} skipped (${r.skipped.map((s) => `${s.iso3}: ${s.reason}`).join(', ')})` : ''}` +
            `${r.pdfsRestored ? `; ${r.pdfsRestored} PDF(s) of earlier invoices written again` : ''}\n`,
        );
      }
    })(),
  );

invoicesCmd
  .command('xml <number>')
  .description('an invoice or a credit note as an EN 16931 e-invoice (UN/CEFACT CII XML, Factur-X profile EN 16931), as GET /api/v1/invoices/{number}/xml')
  .option('--out <file>', 'write the XML to FILE instead of standard output')
  .action((number: string, o: { out?: string }) =>
    run(() => {
      const xml = withCtx((ctx) => {
        try {
          return invoiceXml(ctx, number, null);
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
          try {
            return creditNoteXml(ctx, number, null);
          } catch (e2) {
            if (e2 instanceof NotFoundError) throw new NotFoundError(`Invoice or credit note ${number}`);
            throw e2;
          }
        }
      });
      if (o.out === undefined) return void process.stdout.write(xml);
      fs.writeFileSync(o.out, xml);
      process.stdout.write(`${number} as EN 16931 CII XML written to ${o.out} (${Buffer.byteLength(xml)} bytes)\n`);
    })(),
  );

const remindersCmd = program.command('reminders').description('reminder letters to States with overdue invoices (SPEC 9.7)');
remindersCmd
  .command('list')
  .description('the States to remind on a date: what is overdue, the credit held, the amount to pay, the last letter sent')
  .option('--as-of <date>', 'date of the figures (default today)', dateArg('--as-of'))
  .option('--json', 'the API JSON document (GET /api/v1/reminders)')
  .action((o: { asOf?: string; json?: boolean }) =>
    run(() => {
      const r = withCtx((ctx) => remindersDue(ctx, o.asOf));
      if (o.json) return void process.stdout.write(`${JSON.stringify(r)}\n`);
      process.stdout.write(`States to remind as of ${r.asOf}: ${r.totals.states}\n\n`);
      if (r.states.length === 0) return;
      printTable(
        ['ISO3', 'State', 'Invoices', 'Overdue', 'Credit', 'To pay', 'Last reminder'],
        r.states.map((s) => [
          s.iso3,
          s.name,
          String(s.invoices.length),
          s.overdue,
          s.credit,
          s.toPay,
          s.lastReminder ? `${s.lastReminder.number} of ${s.lastReminder.issueDate} (level ${s.lastReminder.level})` : 'none',
        ]),
        ['', 'Total', '', r.totals.overdue, r.totals.credit, r.totals.toPay, ''],
      );
    })(),
  );
remindersCmd
  .command('issue')
  .description('issue a reminder letter to each State to remind (or to those named): REM-{year}-{seq}, one per State per day')
  .requiredOption('--as-of <date>', 'date of the figures printed', dateArg('--as-of'))
  .option('--state <iso3...>', 'only these States (each must have something overdue beyond its credit)')
  .option('--date <date>', 'issue date of the letters (default today)', dateArg('--date'))
  .option('--json', 'print the result as JSON')
  .action((o: { asOf: string; state?: string[]; date?: string; json?: boolean }) =>
    run(async () => {
      const body = reminderIssueBody.parse({ asOf: o.asOf, ...(o.state !== undefined && { states: o.state }), ...(o.date !== undefined && { date: o.date }) });
      const r = await withCtxAsync((ctx) => issueReminders(ctx, cliActor('reminders issue'), body));
      if (o.json) return void process.stdout.write(`${JSON.stringify(r)}\n`);
      const issued = r.letters.filter((l) => l.outcome === 'issued');
      process.stdout.write(
        `${r.issued} reminder letter(s) issued${issued.length ? ` (${issued[0]!.number} … ${issued.at(-1)!.number})` : ''} dated ${r.issueDate}, figures as of ${r.asOf}` +
          `${r.existing ? `; ${r.existing} already issued that day` : ''}\n`,
      );
      if (r.letters.length)
        printTable(
          ['Letter', 'ISO3', 'Level', 'To pay', 'Reference', 'Outcome'],
          r.letters.map((l) => [l.number, l.iso3, String(l.level), l.toPay, l.creditorReference, l.outcome === 'existing' ? 'already issued' : 'issued']),
        );
    })(),
  );

program
  .command('backup')
  .description("copy the database with SQLite's online backup (safe while the server runs)")
  .requiredOption('--to <file>', 'the backup file to write (must not exist)')
  .action((o: { to: string }) =>
    run(async () => {
      if (fs.existsSync(o.to)) fail(`${o.to} already exists; choose a new file`, 2);
      const { sqlite, close } = openDatabase(config.dbPath, { migrate: false });
      try {
        const t0 = process.hrtime.bigint();
        const r = await sqlite.backup(o.to);
        const ms = (process.hrtime.bigint() - t0) / 1_000_000n;
        // Check the copy before saying it is good.
        const copy = openDatabase(o.to, { readonly: true });
        const report = verifyLedger({ sqlite: copy.sqlite });
        copy.close();
        process.stdout.write(`backup written to ${o.to}: ${r.totalPages} pages in ${ms} ms; ledger in the copy ${report.ok ? 'verified' : 'NOT verified'}\n`);
        if (!report.ok) process.exitCode = 1;
      } finally {
        close();
      }
    })(),
  );

const reportCmd = program.command('report').description('reports');
outputOptions(
  reportCmd
    .command('status')
    .description('status of contributions for a budget year')
    .requiredOption('--year <year>', 'budget year', intArg('--year'))
    .option('--as-of <date>', 'as of this date (default today)'),
  'GET /api/v1/reports/status-of-contributions',
  { csv: true, pdf: true, xlsx: true },
).action((o: { year: number; asOf?: string } & OutputFlags) =>
    run(async () => {
      if (o.asOf !== undefined && !isIsoDate(o.asOf)) fail(`--as-of must be a date YYYY-MM-DD, got ${JSON.stringify(o.asOf)}`, 2);
      const [r, issuer] = withCtx((ctx) => [statusOfContributions(ctx, o.year, o.asOf), o.pdf === undefined ? null : requireIssuer(ctx.db)] as const);
      const emitted = await emitReport(o, {
        json: () => r,
        csv: () => statusReportCsv(r),
        pdf: () => renderStatusReportPdf(r, issuer!),
        xlsx: () => renderStatusReportXlsx(r),
        summary: `status of contributions ${r.year} as of ${r.asOf} (${r.rows.length} States, total outstanding ${r.totals.outstanding})`,
      });
      if (emitted) return;
      process.stdout.write(`Status of contributions — budget ${r.year} (CHF ${r.budget}), as of ${r.asOf}; cut-off ${r.cutoffDate}\n\n`);
      const t = r.totals;
      printTable(
        ['ISO3', 'State', `<${r.year} at start`, `<${r.year} collected`, `<${r.year} credited`, `<${r.year} outstanding`, `Assessed ${r.year}`, 'Credited', 'Collected', 'Outstanding', `Received ${r.year}`, 'In excess', 'Credit held', 'Status'],
        r.rows.map((x) => [x.iso3, x.name, x.priorAtStart, x.priorCollected, x.priorCredited, x.priorOutstanding, x.assessed, x.credited, x.collected, x.outstanding, x.received, x.inExcess, x.unappliedCredit, STATUS_LABEL[x.status]]),
        ['', 'Total', t.priorAtStart, t.priorCollected, t.priorCredited, t.priorOutstanding, t.assessed, t.credited, t.collected, t.outstanding, t.received, t.inExcess, t.unappliedCredit, ''],
      );
      const c = r.counts;
      process.stdout.write(
        `\nCoverage of the budget: ${r.coverage.collectedPercent} % collected, ${r.coverage.withExcessPercent} % with money in excess of assessments.\n` +
          `${c.assessed} States assessed: ${c.paid} paid in full (${c.sharePaidPercent} %), ${c.partial} in part (${c.sharePartialPercent} %), ${c.unpaid} nothing (${c.shareUnpaidPercent} %); ${c.shareContributingPercent} % contributing.\n`,
      );
      for (const d of r.otherDonors) process.stdout.write(`Other donor: ${d.donor}${d.purpose === 'reserve' ? ' (to the reserve)' : ''}: CHF ${d.amount}\n`);
      process.stdout.write(`Honour roll (paid in full by ${r.cutoffDate}): ${r.honourRoll.map((h) => h.name).join(', ') || 'none'}\n`);
    })(),
  );

outputOptions(
  reportCmd
    .command('execution')
    .description('budget execution: per line approved, revised, spent, remaining, % spent')
    .requiredOption('--year <year>', 'budget year', intArg('--year'))
    .option('--as-of <date>', 'as of this date (default today)'),
  'GET /api/v1/budgets/{year}/execution',
  { csv: true, pdf: true, xlsx: true },
).action((o: { year: number; asOf?: string } & OutputFlags) =>
    run(async () => {
      if (o.asOf !== undefined && !isIsoDate(o.asOf)) fail(`--as-of must be a date YYYY-MM-DD, got ${JSON.stringify(o.asOf)}`, 2);
      const [r, issuer] = withCtx((ctx) => [budgetExecution(ctx, o.year, o.asOf), o.pdf === undefined ? null : requireIssuer(ctx.db)] as const);
      const emitted = await emitReport(o, {
        json: () => r,
        csv: () => executionCsv(r),
        pdf: () => renderExecutionPdf(r, issuer!),
        xlsx: () => renderExecutionXlsx(r),
        summary: `budget execution ${r.year} as of ${r.asOf} (total spent ${r.totals.spent})`,
      });
      if (emitted) return;
      process.stdout.write(`Budget execution — ${r.year} (version ${r.version}), as of ${r.asOf}, CHF\n\n`);
      const t = r.totals;
      printTable(
        ['Line', 'Label', 'Approved', 'Revised', 'Spent', 'Remaining', '% spent'],
        r.lines.map((x) => [x.code ?? '—', x.label, x.approved, x.revised, x.spent, x.remaining, x.percentSpent ?? '—']),
        ['', 'Total', t.approved, t.revised, t.spent, t.remaining, t.percentSpent ?? '—'],
      );
    })(),
  );

const expCmd = program.command('expenditures').description('ISU expenditures, coded to a budget year and line (SPEC 9.5)');
expCmd
  .command('add')
  .description('record an expenditure, as POST /api/v1/expenditures')
  .requiredOption('--date <date>', 'YYYY-MM-DD')
  .requiredOption('--amount <chf>', 'e.g. 1234.50')
  .requiredOption('--description <text>', 'what it paid for')
  .option('--budget-year <year>', 'the budget it executes (default: the year of the date)', intArg('--budget-year'))
  .option('--line <code>', 'the budget line (required when that budget has lines)')
  .action((o: { date: string; amount: string; description: string; budgetYear?: number; line?: string }) =>
    run(() => {
      const body = expenditureBody.parse({ date: o.date, amount: o.amount, description: o.description, budgetYear: o.budgetYear, line: o.line });
      const r = withCtx((ctx) => recordExpenditure(ctx, cliActor('expenditures add'), body));
      process.stdout.write(`expenditure ${r.id}: CHF ${r.amount} on ${r.date}, budget ${r.budgetYear}${r.line ? `, line ${r.line}` : ''}\n`);
    })(),
  );

outputOptions(
  reportCmd
    .command('financial-statement')
    .description('the annual financial statement (SPEC 9.5): income and expenditure, financial position at 31 December, changes in the reserve, contributions; beside the previous year')
    .requiredOption('--year <year>', 'the year', intArg('--year')),
  'GET /api/v1/reports/financial-statement',
  { csv: true, pdf: true, xlsx: true },
).action((o: { year: number } & OutputFlags) =>
    run(async () => {
      const [s, issuer] = withCtx((ctx) => [financialStatement(ctx, o.year), o.pdf === undefined ? null : requireIssuer(ctx.db)] as const);
      const emitted = await emitReport(o, {
        json: () => s,
        csv: () => financialStatementCsv(s),
        pdf: () => renderFinancialStatementPdf(s, issuer!),
        xlsx: () => renderFinancialStatementXlsx(s, financialStatementRows(s)),
        summary: `financial statement ${s.year} (surplus ${s.incomeAndExpenditure.surplus.current}, total assets ${s.financialPosition.totalAssets.current})`,
      });
      if (emitted) return;
      const y = String(s.year);
      const p = String(s.previousYear);
      const row = (label: string, f: { current: string; previous: string | null }) => [label, f.current, f.previous ?? '—'];
      const ie = s.incomeAndExpenditure;
      process.stdout.write(`Financial statement ${y} (CHF)${s.closed ? '' : ' — the year is not closed'}\n\nIncome and expenditure\n`);
      printTable(['', y, p], [
        row('Assessed contributions', ie.assessedContributions),
        row('Voluntary contributions', ie.voluntaryContributions),
        row('Other income', ie.otherIncome),
        row('Total income', ie.totalIncome),
        ...ie.expenditureByLine.map((l) => [`Expenditure: ${l.label}`, l.current, l.previous]),
        row('Total expenditure', ie.totalExpenditure),
        row('Surplus (deficit)', ie.surplus),
      ]);
      const fp = s.financialPosition;
      process.stdout.write(`\nFinancial position at 31 December\n`);
      printTable(['', y, p], [
        row('Operating cash', fp.operatingCash),
        row('Reserve cash', fp.reserveCash),
        row('Contributions receivable', fp.receivables),
        row('Total assets', fp.totalAssets),
        row('Unapplied credit (liability)', fp.unappliedCredit),
        row('Working capital reserve fund', fp.reserveFund),
        row('Accumulated fund', fp.accumulatedFund),
        row('Surplus of years not closed', fp.surplusNotClosed),
        row('Total liabilities and net assets', fp.totalLiabilitiesAndNetAssets),
      ]);
      const r = s.reserve;
      process.stdout.write(`\nWorking capital reserve\n`);
      printTable(['', y, p], [row('Opening', r.opening), row('Contributions', r.contributions), row('Transfers', r.transfers), row('Drawdowns', r.drawdowns), row('Restorations', r.restorations), row('Other', r.other), row('Closing', r.closing)]);
      if (s.contributions) {
        const c = s.contributions;
        process.stdout.write(`\nContributions (budget ${y}, at 31 December)\n`);
        printTable(['', y, p], [row('Assessed', c.assessed), row('Collected', c.collected), row('Outstanding', c.outstanding), row('Earlier years outstanding', c.priorOutstanding)]);
      }
    })(),
  );

const creditCmd = program.command('credit').description("States' unapplied credit");
creditCmd
  .command('apply')
  .description('apply every State\'s unapplied credit to its open invoices, oldest first (SPEC 9.2); for credit held from before it was applied on issue')
  .option('--date <date>', 'date of the application (default today)')
  .option('--json', 'one JSON line')
  .action((o: { date?: string; json?: boolean }) =>
    run(() => {
      if (o.date !== undefined && !isIsoDate(o.date)) fail(`--date must be a date YYYY-MM-DD, got ${JSON.stringify(o.date)}`, 2);
      const applied = withCtx((ctx) => applyHeldCredit(ctx, cliActor('credit apply'), o.date));
      if (o.json) return void process.stdout.write(`${JSON.stringify(applied)}\n`);
      if (applied.length === 0) return void process.stdout.write('No State holds credit that an open invoice could use.\n');
      printTable(['ISO3', 'Applied', 'Credit left'], applied.map((a) => [a.iso3, a.applied, a.unappliedCredit]));
    })(),
  );

function idArg(value: string): number {
  if (!/^[1-9][0-9]{0,11}$/.test(value)) fail(`an id is a positive whole number, got ${JSON.stringify(value)}`, 2);
  return Number.parseInt(value, 10);
}

function dateArg(name: string) {
  return (value: string) => {
    if (!isIsoDate(value)) fail(`${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`, 2);
    return value;
  };
}

const paymentsCmd = program.command('payments').description('corrections of payments (SPEC 9.3)');
paymentsCmd
  .command('reverse')
  .description('reverse a payment: a reversing entry at its value date (or the first open date); what it paid is open again')
  .requiredOption('--id <id>', 'the payment', idArg)
  .requiredOption('--reason <text>', 'why')
  .option('--date <date>', 'date of the reversal', dateArg('--date'))
  .action((o: { id: number; reason: string; date?: string }) =>
    run(() => {
      const r = withCtx((ctx) => reversePayment(ctx, cliActor('payments reverse'), o.id, { reason: o.reason, date: o.date }));
      process.stdout.write(`payment ${r.payment.id} (${r.payment.iso3 ?? r.payment.donor}, CHF ${r.payment.amount}) reversed on ${r.reversal.date}\n`);
    })(),
  );
paymentsCmd
  .command('reallocate')
  .description('move a payment to the right payer: reversed and recorded anew, linked, in one transaction')
  .requiredOption('--id <id>', 'the payment', idArg)
  .option('--to <iso3>', 'the State that really paid')
  .option('--donor <name>', 'or the donor')
  .option('--purpose <purpose>', 'assessed, voluntary or reserve (default: the original\'s)')
  .option('--invoice <number>', 'apply to this invoice')
  .requiredOption('--reason <text>', 'why')
  .action((o: { id: number; to?: string; donor?: string; purpose?: 'assessed' | 'voluntary' | 'reserve'; invoice?: string; reason: string }) =>
    run(() => {
      if ((o.to === undefined) === (o.donor === undefined)) fail('give --to ISO3 or --donor NAME', 2);
      const r = withCtx((ctx) => reallocatePayment(ctx, cliActor('payments reallocate'), o.id, { iso3: o.to, donor: o.donor, purpose: o.purpose, invoice: o.invoice, reason: o.reason }));
      process.stdout.write(`payment ${r.reversed.id} reversed; recorded again as payment ${r.payment.id} for ${r.payment.iso3 ?? r.payment.donor} (CHF ${r.payment.amount}, ${r.payment.receivedOn})\n`);
    })(),
  );

program
  .command('close')
  .description('close a year (SPEC 9.4): lock through its 31 December and post its income and expenditure to the accumulated fund; idempotent')
  .requiredOption('--year <year>', 'the year', intArg('--year'))
  .requiredOption('--reason <text>', 'why')
  .option('--json', 'the API JSON document')
  .action((o: { year: number; reason: string; json?: boolean }) =>
    run(() => {
      const { created, closing: c } = withCtx((ctx) => closeYear(ctx, cliActor('close'), o.year, { reason: o.reason }));
      if (o.json) return void process.stdout.write(`${JSON.stringify(c)}\n`);
      const what = c.journalEntryId === null ? 'no income or expenditure to close' : `closing entry ${c.journalEntryId}`;
      process.stdout.write(`${c.year} ${created ? 'closed' : 'was already closed'}: ${what}; surplus CHF ${c.surplus} to the accumulated fund; locked through ${c.lockedThrough}\n`);
    })(),
  );

const periodsCmd = program.command('periods').description('period locks (SPEC 9.4)');
periodsCmd
  .command('close')
  .description('lock every date up to and including --through')
  .requiredOption('--through <date>', 'last locked date', dateArg('--through'))
  .requiredOption('--reason <text>', 'why')
  .action((o: { through: string; reason: string }) =>
    run(() => {
      const p = withCtx((ctx) => closePeriod(ctx, cliActor('periods close'), o));
      process.stdout.write(`entries are locked through ${p.lockedThrough}; the first open date is ${p.firstOpenDate}\n`);
    })(),
  );
periodsCmd
  .command('reopen')
  .description('(admin) move the lock back to --through, or lift it with --all')
  .option('--through <date>', 'the new last locked date', dateArg('--through'))
  .option('--all', 'lift the lock entirely')
  .requiredOption('--reason <text>', 'why')
  .action((o: { through?: string; all?: boolean; reason: string }) =>
    run(() => {
      if ((o.through === undefined) === (o.all === undefined)) fail('give --through DATE or --all', 2);
      const p = withCtx((ctx) => reopenPeriod(ctx, cliActor('periods reopen'), { through: o.through ?? null, reason: o.reason }));
      process.stdout.write(p.lockedThrough ? `entries are now locked through ${p.lockedThrough}\n` : 'no period is locked\n');
    })(),
  );
periodsCmd
  .command('list')
  .description('the lock in force and its history')
  .action(() =>
    run(() => {
      const p = withCtx((ctx) => listPeriods(ctx));
      process.stdout.write(`locked through: ${p.lockedThrough ?? 'nothing'}\n`);
      if (p.history.length) printTable(['#', 'action', 'through', 'by', 'at', 'reason'], p.history.map((h) => [String(h.id), h.action, h.through ?? '—', h.actor, h.at, h.reason]));
    })(),
  );

program
  .command('reverse')
  .description('reverse an expenditure or a reserve movement (SPEC 9.3)')
  .option('--expenditure <id>', 'the expenditure', idArg)
  .option('--reserve-movement <id>', 'or the reserve movement (a restoration is reversed with its entry; a drawdown once its restorations are)', idArg)
  .requiredOption('--reason <text>', 'why')
  .option('--date <date>', 'date of the reversal', dateArg('--date'))
  .action((o: { expenditure?: number; reserveMovement?: number; reason: string; date?: string }) =>
    run(() => {
      if ((o.expenditure === undefined) === (o.reserveMovement === undefined)) fail('give --expenditure ID or --reserve-movement ID', 2);
      if (o.expenditure !== undefined) {
        const r = withCtx((ctx) => reverseExpenditure(ctx, cliActor('reverse'), o.expenditure!, { reason: o.reason, date: o.date }));
        process.stdout.write(`expenditure ${r.entityId} reversed on ${r.date}\n`);
        return;
      }
      const rs = withCtx((ctx) => reverseReserveMovement(ctx, cliActor('reverse'), o.reserveMovement!, { reason: o.reason, date: o.date }));
      for (const r of rs) process.stdout.write(`reserve movement ${r.entityId} reversed on ${r.date}\n`);
    })(),
  );

/** What a delivery run did, in a few lines; exit code 1 when an attempt failed. */
function printRun(what: string, r: DeliveryRunOut, json: boolean | undefined) {
  if (r.failed > 0) process.exitCode = 1;
  if (json) return void process.stdout.write(`${JSON.stringify(r)}\n`);
  const where = r.transport === 'smtp' ? 'through the SMTP server' : `to the outbox ${config.outboxDir}`;
  const counts = r.transport === 'smtp' ? `${r.sent} sent` : `${r.written} written`;
  const reasons = new Map<string, number>();
  for (const s of r.skips) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const skipped = r.skipped ? ` (${[...reasons].map(([reason, n]) => `${reason}: ${n}`).join('; ')})` : '';
  process.stdout.write(`${what}: ${counts} ${where}, ${r.failed} failed, ${r.skipped} skipped${skipped}\n`);
  for (const d of r.deliveries.filter((x) => x.status === 'failed')) process.stdout.write(`  failed  ${d.document}  ${d.recipient || '(no address)'}: ${d.response}\n`);
}

const sendCmd = program
  .command('send')
  .description('e-mail documents to the billing e-mails of their States (SPEC 9.7): through ISU_SMTP_URL, else as .eml files in the outbox');
for (const kind of ['invoices', 'credit-notes'] as const)
  sendCmd
    .command(kind)
    .description(`send the ${kind.replace('-', ' ')} of a year, or those named; an address that had one is skipped unless --resend`)
    .option('--year <year>', 'budget year', intArg('--year'))
    .option('--number <number...>', 'these documents only')
    .option('--state <iso3...>', 'these States only')
    .option('--resend', 'send again to addresses that already had the document')
    .option('--json', 'print the result as JSON')
    .action((o: { year?: number; number?: string[]; state?: string[]; resend?: boolean; json?: boolean }) =>
      run(async () => {
        const body = deliveryCreate.parse({ kind, year: o.year, numbers: o.number, states: o.state, resend: o.resend });
        printRun(kind, await withCtxAsync((ctx) => sendDocuments(ctx, cliActor(`send ${kind}`), body)), o.json);
      })(),
    );
sendCmd
  .command('statements')
  .description("send each State's statement of account from 1 January to --as-of (every State with an account, or --state)")
  .requiredOption('--as-of <date>', 'the statement date', dateArg('--as-of'))
  .option('--state <iso3...>', 'these States only')
  .option('--resend', 'send again to addresses that already had it')
  .option('--json', 'print the result as JSON')
  .action((o: { asOf: string; state?: string[]; resend?: boolean; json?: boolean }) =>
    run(async () => {
      const body = deliveryCreate.parse({ kind: 'statements', asOf: o.asOf, states: o.state, resend: o.resend });
      printRun('statements', await withCtxAsync((ctx) => sendDocuments(ctx, cliActor('send statements'), body)), o.json);
    })(),
  );
sendCmd
  .command('reminders')
  .description('issue the reminder letters as of --as-of (one per State per day; those already issued today are kept) and send them')
  .requiredOption('--as-of <date>', 'date of the figures printed', dateArg('--as-of'))
  .option('--state <iso3...>', 'only these States (each must have something overdue beyond its credit)')
  .option('--date <date>', 'issue date of the letters (default today)', dateArg('--date'))
  .option('--resend', 'send again to addresses that already had the letter')
  .option('--json', 'print the result as JSON')
  .action((o: { asOf: string; state?: string[]; date?: string; resend?: boolean; json?: boolean }) =>
    run(async () => {
      const issueBody = reminderIssueBody.parse({ asOf: o.asOf, ...(o.state !== undefined && { states: o.state }), ...(o.date !== undefined && { date: o.date }) });
      const issued = await withCtxAsync((ctx) => issueReminders(ctx, cliActor('send reminders'), issueBody));
      if (!o.json) process.stdout.write(`${issued.issued} reminder letter(s) issued, ${issued.existing} already issued on ${issued.issueDate}, figures as of ${issued.asOf}\n`);
      if (issued.letters.length === 0) {
        if (o.json) process.stdout.write(`${JSON.stringify({ reminders: issued, delivery: null })}\n`);
        else process.stdout.write('no State to remind: nothing sent\n');
        return;
      }
      const body = deliveryCreate.parse({ kind: 'reminders', numbers: issued.letters.map((l) => l.number), resend: o.resend });
      const r = await withCtxAsync((ctx) => sendDocuments(ctx, cliActor('send reminders'), body));
      if (o.json) {
        if (r.failed > 0) process.exitCode = 1;
        return void process.stdout.write(`${JSON.stringify({ reminders: issued, delivery: r })}\n`);
      }
      printRun('reminders', r, false);
    })(),
  );
sendCmd
  .command('retry')
  .description('try every failed delivery again, once')
  .addOption(new Option('--kind <kind>', 'only these documents').choices(DELIVERY_KINDS as unknown as string[]))
  .option('--json', 'print the result as JSON')
  .action((o: { kind?: DeliveryKind; json?: boolean }) =>
    run(async () => {
      printRun('retry', await withCtxAsync((ctx) => retryDeliveries(ctx, cliActor('send retry'), { kind: o.kind })), o.json);
    })(),
  );

program
  .command('deliveries')
  .description('the delivery log: each document and address with the status of its latest attempt')
  .addOption(new Option('--status <status>', 'the latest attempt’s status').choices(['sent', 'failed', 'written']))
  .addOption(new Option('--kind <kind>').choices(DELIVERY_KINDS as unknown as string[]))
  .option('--state <iso3>', 'one State')
  .option('--document <id>', 'one document')
  .option('--json', 'the API JSON document')
  .action((o: { status?: 'sent' | 'failed' | 'written'; kind?: DeliveryKind; state?: string; document?: string; json?: boolean }) =>
    run(() => {
      const log = withCtx((ctx) => listDeliveries(ctx, deliveryListQuery.parse({ status: o.status, kind: o.kind, state: o.state, document: o.document })));
      if (o.json) return void process.stdout.write(`${JSON.stringify(log)}\n`);
      if (log.length === 0) return void process.stdout.write('No delivery matches.\n');
      printTable(
        ['Kind', 'Document', 'ISO3', 'Recipient', 'Status', 'Attempts', 'Last attempt', 'Answer or file'],
        log.map((e) => {
          const last = e.attempts.at(-1)!;
          return [e.kind, e.document, e.iso3, e.recipient || '(none)', `${e.status}${e.retryable ? ' (retry)' : ''}`, String(e.attempts.length), last.createdAt.slice(0, 19), last.response ?? ''];
        }),
      );
    })(),
  );

const settingsCmd = program.command('settings').description('configuration kept in the database');
settingsCmd
  .command('issuer <file>')
  .description('set the invoice sender, bank details and QR-bill creditor from a JSON file (see GET /api/v1/settings/issuer)')
  .option('--reason <text>', 'why the bank details change (kept with the proposal for the approver)')
  .action((file: string, o: { reason?: string }) =>
    run(() => {
      const body = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      const { reason } = issuerProposalQuery.parse(o.reason === undefined ? {} : { reason: o.reason });
      const r = withCtx((ctx) => setIssuer(ctx, cliActor('settings issuer'), issuerSettingsSchema.parse(body), { reason }));
      if (r.status === 'applied') {
        process.stdout.write(`issuer set: ${r.settings.name}, IBAN ${r.settings.bank.iban}\n`);
        return;
      }
      for (const c of r.change.appliedNow) process.stdout.write(`in force now: ${c.field}: ${showValue(c.from)} → ${showValue(c.to)}\n`);
      process.stdout.write(printChange(r.change));
      process.stdout.write(`the bank details wait for a second admin: isu settings approve ${r.change.id} (not by ${r.change.proposedBy})\n`);
    })(),
  );

function showValue(v: string | string[] | null): string {
  return v === null ? '(none)' : Array.isArray(v) ? `[${v.join(' / ')}]` : v;
}
function printChange(c: IssuerChangeOut): string {
  const head = `issuer change ${c.id} (${c.status}), proposed by ${c.proposedBy} at ${c.proposedAt}${c.reason ? `: ${c.reason}` : ''}\n`;
  const lines = c.changes.map((x) => `  ${x.field}: ${showValue(x.from)} → ${showValue(x.to)}\n`).join('');
  const decided = c.decision ? `  ${c.decision.decision} by ${c.decision.decidedBy} at ${c.decision.decidedAt}${c.decision.reason ? `: ${c.decision.reason}` : ''}\n` : '';
  return head + lines + decided;
}
const changeId = (s: string) => {
  if (!/^[1-9][0-9]{0,11}$/.test(s)) throw new ServiceError(422, 'Unprocessable Content', `id: "${s}" is not an issuer change id (e.g. 3)`, [{ field: 'id', message: 'must be an issuer change id' }]);
  return Number.parseInt(s, 10);
};
settingsCmd
  .command('pending')
  .description('show the change of the bank details waiting for a second admin (four eyes, SPEC 9.8)')
  .option('--json', 'print JSON')
  .action((o: { json?: boolean }) =>
    run(() => {
      const c = withCtx((ctx) => pendingIssuerChange(ctx.db));
      if (o.json) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
      else process.stdout.write(c ? printChange(c) : 'no change of the bank details is pending\n');
    })(),
  );
settingsCmd
  .command('changes')
  .description('every proposed change of the bank details with its outcome, newest first')
  .option('--json', 'print JSON')
  .action((o: { json?: boolean }) =>
    run(() => {
      const list = withCtx((ctx) => listIssuerChanges(ctx.db));
      process.stdout.write(o.json ? `${JSON.stringify(list, null, 2)}\n` : list.map(printChange).join('') || 'no change of the bank details was ever proposed\n');
    })(),
  );
settingsCmd
  .command('approve <id>')
  .description('approve a pending change of the bank details (not by its proposer: the operator is ISU_OPERATOR or USER)')
  .option('--reason <text>', 'why (kept in the decision and the audit log)')
  .action((id: string, o: { reason?: string }) =>
    run(() => {
      const input = issuerDecisionIn.parse(o.reason === undefined ? {} : { reason: o.reason });
      const c = withCtx((ctx) => approveIssuerChange(ctx, cliActor('settings approve'), changeId(id), input));
      process.stdout.write(printChange(c));
    })(),
  );
settingsCmd
  .command('reject <id>')
  .description('reject a pending change of the bank details, with a reason (its proposer may withdraw it)')
  .requiredOption('--reason <text>', 'why (kept in the decision and the audit log)')
  .action((id: string, o: { reason: string }) =>
    run(() => {
      const input = issuerRejectionIn.parse({ reason: o.reason });
      const c = withCtx((ctx) => rejectIssuerChange(ctx, cliActor('settings reject'), changeId(id), input));
      process.stdout.write(printChange(c));
    })(),
  );
settingsCmd
  .command('limits [file]')
  .description('the plausibility limits as JSON; with FILE.json, set them (see GET /api/v1/settings/limits)')
  .action((file: string | undefined) =>
    run(() => {
      const limits = withCtx((ctx) =>
        file === undefined ? getLimits(ctx.db) : setLimits(ctx, cliActor('settings limits'), limitsSettings.parse(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown)),
      );
      process.stdout.write(`${JSON.stringify(limits, null, 2)}\n`);
    })(),
  );

const imp = program.command('import').description('load reference data from files');
imp
  .command('states <file>')
  .description('import States from CSV (iso3,name_en,name_fr,name_es,un_member,instrument,deposit_date,language); all or nothing')
  .action((file: string) =>
    run(() => {
      const parsed = parseStatesCsv(fs.readFileSync(file, 'utf8'));
      if (parsed.errors.length) throw new ServiceError(422, 'Invalid CSV', 'invalid CSV', parsed.errors);
      const r = withCtx((ctx) => importStates(ctx, cliActor('import states'), stateImport.parse({ states: parsed.states }).states));
      process.stdout.write(`imported ${r.length} States\n`);
    })(),
  );
imp
  .command('scale <file>')
  .description('create a scale from CSV (iso3,rate)')
  .requiredOption('--code <code>')
  .requiredOption('--title <title>')
  .requiredOption('--source <source>')
  .action((file: string, o: { code: string; title: string; source: string }) =>
    run(() => {
      const parsed = parseScaleCsv(fs.readFileSync(file, 'utf8'));
      if (parsed.errors.length) throw new ServiceError(422, 'Invalid CSV', 'invalid CSV', parsed.errors);
      const r = withCtx((ctx) => createScale(ctx, cliActor('import scale'), scaleCreate.parse({ ...o, rates: parsed.rates })));
      process.stdout.write(`scale ${r.code}: ${r.ratesCount} rates, sum ${r.sumOfRates}\n`);
    })(),
  );
imp
  .command('budget <file>')
  .description('enter a budget from a JSON file shaped like POST /api/v1/budgets')
  .action((file: string) =>
    run(() => {
      const body = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      const r = withCtx((ctx) => createBudget(ctx, cliActor('import budget'), budgetCreate.parse(body)));
      process.stdout.write(`budget ${r.year}: CHF ${r.amount}, cut-off ${r.cutoffDate}${r.lines.length ? `, ${r.lines.length} lines` : ''}\n`);
    })(),
  );
imp
  .command('expenditures <file>')
  .description('record expenditures from CSV (date,amount,description,budgetYear,line); all or nothing')
  .action((file: string) =>
    run(() => {
      const parsed = parseExpendituresCsv(fs.readFileSync(file, 'utf8'));
      if (parsed.errors.length) throw new ServiceError(422, 'Invalid CSV', 'invalid CSV', parsed.errors);
      const r = withCtx((ctx) => importExpenditures(ctx, cliActor('import expenditures'), parsed.expenditures));
      process.stdout.write(`recorded ${r.count} expenditures, CHF ${r.total}\n`);
    })(),
  );

/** What an import did, statement by statement: counts, the closing balance against the ledger, the queued lines and why. */
function printImport(r: BankImportOut) {
  process.stdout.write(
    `${r.messageType}.${r.messageVersion} ${r.messageId}: ${r.alreadyImported ? 'already imported: nothing new recorded' : `${r.counts.newLines} new line(s), ${r.counts.paymentsRecorded} payment(s) recorded, ${r.counts.queued} queued`}\n`,
  );
  for (const s of r.statements) {
    const c = s.counts;
    process.stdout.write(
      `  ${s.accountRole} account ${s.iban}, ${s.statementId}: ${c.entries} entries (${c.notBooked} not booked), ${c.newLines} new line(s), ${c.duplicates} already known, ${c.paymentsRecorded} payment(s) recorded, ${c.queued} queued\n`,
    );
    if (s.closingBalance)
      process.stdout.write(
        `  closing balance ${s.currency} ${s.closingBalance.amount} on ${s.closingBalance.date}; ledger cash (${s.ledgerAccounts.join(' + ')}) ${s.ledgerCash ?? 'n/a'}; difference ${s.difference ?? 'n/a'}\n`,
      );
    for (const q of s.queued) process.stdout.write(`  queued: line ${q.line}, ${q.direction} ${q.amount} on ${q.valueDate}: ${q.reason}\n`);
  }
}

imp
  .command('bank <file>')
  .description('import an ISO 20022 camt.053 statement or camt.054 notification; all or nothing; the same file again records nothing')
  .option('--json', 'print the result as JSON')
  .action((file: string, o: { json?: boolean }) =>
    run(() => {
      const bytes = fs.readFileSync(file);
      const { result } = withCtx((ctx) => importBankFile(ctx, cliActor('import bank'), bytes));
      if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else printImport(result);
    })(),
  );

const bankCmd = program.command('bank').description('bank statements and the queue of bank lines (SPEC 9.6)');

function printLines(lines: BankLineOut[]) {
  if (lines.length === 0) return void process.stdout.write('No bank lines.\n');
  printTable(
    ['ID', 'Value date', 'Dir', 'Amount', 'Ccy', 'Bank ref.', 'Reference / text', 'Status', 'Payment / suggestion'],
    lines.map((l) => [
      String(l.id),
      l.valueDate,
      l.direction === 'credit' ? 'in' : 'out',
      l.amount,
      l.currency,
      l.bankReference ?? '',
      (l.structuredReference ?? l.unstructured ?? l.debtor.name ?? '').slice(0, 40),
      l.status,
      l.action?.paymentId
        ? `payment ${l.action.paymentId}`
        : l.suggestions.length
          ? l.suggestions.map((s) => `${s.iso3}${s.invoice ? ` ${s.invoice}` : ''}`).join(', ')
          : (l.action?.kind ?? ''),
    ]),
  );
}

bankCmd
  .command('lines')
  .description('the bank lines (the queue: --status unmatched), with suggestions for unmatched ones')
  .option('--status <status>', 'unmatched, matched, booked or ignored')
  .option('--json', 'the API JSON document')
  .action((o: { status?: string; json?: boolean }) =>
    run(() => {
      const status = o.status === undefined ? undefined : lineStatus.parse(o.status);
      const lines = withCtx((ctx) => listBankLines(ctx, { status }));
      if (o.json) return void process.stdout.write(`${JSON.stringify(lines)}\n`);
      printLines(lines);
      for (const l of lines.filter((x) => x.queueReason)) process.stdout.write(`  ${l.id}: ${l.queueReason}\n`);
    })(),
  );
bankCmd
  .command('statements')
  .description('statements imported, with the closing balance against the ledger')
  .action(() =>
    run(() => {
      const rows = withCtx((ctx) => listBankStatements(ctx));
      if (rows.length === 0) return void process.stdout.write('No statements imported.\n');
      printTable(
        ['ID', 'Type', 'Statement', 'Account', 'Lines', 'Unmatched', 'Closing', 'Date', 'Ledger', 'Difference'],
        rows.map((r) => [String(r.id), r.messageType, r.statementId, r.accountRole, String(r.lines.total), String(r.lines.unmatched), r.closingBalance?.amount ?? '', r.closingBalance?.date ?? '', r.ledgerCash ?? '', r.difference ?? '']),
      );
    })(),
  );
bankCmd
  .command('match <id>')
  .description('record a credit line as a payment of a State (--state) or donor (--donor), with its purpose')
  .option('--state <iso3>', 'the paying State')
  .option('--donor <name>', 'or a donor')
  .requiredOption('--purpose <purpose>', 'assessed, voluntary or reserve')
  .option('--invoice <number>', 'apply to this invoice only')
  .option('--confirm-large', 'the amount is above the large-payment limit and has been checked')
  .action((id: string, o: { state?: string; donor?: string; purpose: string; invoice?: string; confirmLarge?: boolean }) =>
    run(() => {
      const body = bankLineMatch.parse({ iso3: o.state, donor: o.donor, purpose: o.purpose, invoice: o.invoice, ...(o.confirmLarge ? { confirmLarge: true } : {}) });
      const l = withCtx((ctx) => matchBankLine(ctx, cliActor('bank match'), idArg(id), body));
      process.stdout.write(`bank line ${l.id} (${l.amount} on ${l.valueDate}) recorded as payment ${l.action!.paymentId} for ${o.state ?? o.donor}\n`);
    })(),
  );
bankCmd
  .command('book <id>')
  .description('book a line without a payer: --as other-income (a credit) or bank-charges (a debit, an expenditure)')
  .requiredOption('--as <kind>', 'other-income or bank-charges')
  .option('--line <code>', 'bank charges: the budget line (required when the budget has lines)')
  .action((id: string, o: { as: string; line?: string }) =>
    run(() => {
      const body = bankLineBook.parse({ as: o.as, line: o.line });
      const l = withCtx((ctx) => bookBankLine(ctx, cliActor('bank book'), idArg(id), body));
      process.stdout.write(`bank line ${l.id} (${l.amount} on ${l.valueDate}) booked as ${l.action!.kind}\n`);
    })(),
  );
bankCmd
  .command('ignore <id>')
  .description('leave a line out of the books, with the reason')
  .requiredOption('--reason <text>', 'why')
  .action((id: string, o: { reason: string }) =>
    run(() => {
      const body = bankLineIgnore.parse({ reason: o.reason });
      const l = withCtx((ctx) => ignoreBankLine(ctx, cliActor('bank ignore'), idArg(id), body));
      process.stdout.write(`bank line ${l.id} ignored: ${l.action!.reason}\n`);
    })(),
  );

await program.parseAsync(process.argv);
