/**
 * The pages' message catalogues (SPEC 9.9): every key of the English
 * catalogue exists in French and Spanish with a value of the same kind; no
 * French or Spanish text is the English one left untranslated (but for a
 * short list of codes and words that are the same in the language); and the
 * pages as each role sees them in French and Spanish carry no common English
 * word. Text entered by people (reasons, descriptions, references, budget
 * line labels) is marked translate="no" on the pages and not checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';
import { CATALOGUES, fromAcceptLanguage, t } from '../../src/http/pages/i18n/index.js';
import { en } from '../../src/http/pages/i18n/en.js';
import { cliActor } from '../../src/services/actor.js';
import { DEMO_LOGINS, seedDemo } from '../../src/services/demo.js';
import { tempDir } from '../helpers.js';
import type { PageList } from './responsive-harness.js';

type Leaf = { path: string; value: unknown };

function leaves(o: unknown, prefix = ''): Leaf[] {
  if (typeof o === 'string' || typeof o === 'function' || Array.isArray(o)) return [{ path: prefix, value: o }];
  if (o && typeof o === 'object') return Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  return [{ path: prefix, value: o }];
}

/** Values that are the same in every language: codes, units, words spelt alike. */
const SAME_WORDS = new Set(['CHF', 'PDF', 'API', 'XLSX', 'Total', 'Budget', 'Budgets', 'Document', 'Date', 'UTC']);
/** True when a text is made only of the words above, figures and punctuation (placeholders X0, X1 … of the sample arguments removed). */
const sameInAll = (s: string) => (s.replace(/X\d/g, ' ').match(/\p{L}+/gu) ?? []).every((w) => SAME_WORDS.has(w));
const SAME_KEYS = new Set(['languageName']);

/** Calls a catalogue function with sample arguments of its kind (numbers for counts and years, strings otherwise). */
function sample(f: (...a: never[]) => unknown, english: (...a: never[]) => unknown): string {
  const args = Array.from({ length: english.length }, (_, i) => (/\b(n|year|minutes|top|version|id)\b/.test(String(english).split('=>')[0]!.split(',')[i] ?? '') ? 2 : `X${i}`));
  return String((f as (...a: unknown[]) => unknown)(...args));
}

describe('the catalogues', () => {
  const english = new Map(leaves(en).map((l) => [l.path, l.value]));

  it.each(['fr', 'es'] as const)('%s has every key of the English catalogue, and no other, each of the same kind', (lang) => {
    const other = new Map(leaves(CATALOGUES[lang]).map((l) => [l.path, l.value]));
    expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, value] of english) {
      const v = other.get(key);
      expect(typeof v, key).toBe(typeof value);
      expect(Array.isArray(v), key).toBe(Array.isArray(value));
      if (typeof value === 'function') expect((v as () => string).length, key).toBe((value as () => string).length);
      if (Array.isArray(value)) expect((v as string[]).length, key).toBe(value.length);
    }
  });

  it.each(['fr', 'es'] as const)('%s leaves no English text untranslated', (lang) => {
    const other = new Map(leaves(CATALOGUES[lang]).map((l) => [l.path, l.value]));
    const same: string[] = [];
    for (const [key, value] of english) {
      if (SAME_KEYS.has(key)) continue;
      const v = other.get(key);
      if (typeof value === 'string' && v === value && !sameInAll(value)) same.push(`${key}: ${value}`);
      if (typeof value === 'function') {
        const a = sample(value as () => string, value as () => string);
        const b = sample(v as () => string, value as () => string);
        if (a === b && !sameInAll(a)) same.push(`${key}(): ${a}`);
      }
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [k, x] of Object.entries(value)) if ((v as Record<string, unknown>)[k] === x && !sameInAll(String(x))) same.push(`${key}.${k}: ${String(x)}`);
      }
    }
    expect(same).toEqual([]);
  });

  it('keeps the Convention’s terms of the glossary', () => {
    expect(t('fr').dashboard.colStateParty).toBe('État partie');
    expect(t('es').dashboard.colStateParty).toBe('Estado parte');
    expect(t('fr').dashboard.kpiAssessedNote('3')).toContain('États parties');
    expect(t('es').dashboard.kpiAssessedNote('3')).toContain('Estados partes');
  });

  it('reads Accept-Language by preference', () => {
    expect(fromAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr');
    expect(fromAcceptLanguage('de-CH, es;q=0.5, en;q=0.7')).toBe('en');
    expect(fromAcceptLanguage('de, it')).toBeNull();
    expect(fromAcceptLanguage('en;q=0, es')).toBe('es');
    expect(fromAcceptLanguage(undefined)).toBeNull();
  });
});

/** Common English words that a French or Spanish page must not show (whole words, case-sensitive where a word is also French or Spanish). */
const ENGLISH = [
  'the', 'and', 'of', 'to', 'by', 'for', 'from', 'with', 'not', 'yet', 'is', 'are', 'was', 'has', 'have', 'no', 'all', 'each',
  'Paid', 'paid', 'Outstanding', 'outstanding', 'Assessed', 'assessed', 'Received', 'received', 'Coverage', 'coverage',
  'Arrears', 'arrears', 'Reserve', 'reserve', 'Spending', 'spending', 'Receipts', 'receipts', 'Dashboard', 'Account', 'account',
  'Invoices', 'Invoice', 'invoice', 'Payments', 'payment', 'Credit', 'credit', 'notes', 'Year', 'year', 'Month', 'States', 'State', 'Party', 'Parties',
  'Log', 'out', 'Signed', 'Skip', 'content', 'Show', 'Back', 'Statement', 'statement', 'Balance', 'balance', 'Target', 'target',
  'Line', 'line', 'Spent', 'spent', 'Remaining', 'Approved', 'Revised', 'Opening', 'Closing', 'Days', 'Reason', 'Field', 'Proposed',
  'Username', 'Password', 'Contributions', 'contributions', 'contributed', 'excess', 'cash', 'shortfall', 'projected', 'actual',
  'Jan', 'Feb', 'Apr', 'May', 'Aug', 'Dec', 'Budget year', 'budget year', 'Key figures', 'As of', 'as of', 'cut-off',
];

/** The visible and spoken text of a page: text nodes and aria-label/title/alt values, without what is marked translate="no", the style sheet, and the language switch's other-language names. */
function pageText(body: string): string {
  // Text marked translate="no" is removed wherever it occurs (a budget line's label is in a table and in a chart's description).
  const data = [...body.matchAll(/<(td|th|span|code)[^>]*translate="no"[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2]!.replace(/<[^>]*>/g, '')).filter((x) => x.trim().length > 2);
  let text = body;
  for (const d of data.sort((a, b) => b.length - a.length)) text = text.split(d).join(' ');
  return text
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<(td|th|span|code)[^>]*translate="no"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<a [^>]*hreflang="[a-z]{2}"[^>]*>[^<]*<\/a>/g, ' ')
    .replace(/\s(?:aria-label|title|alt)="([^"]*)"/g, ' >$1< ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
}


/** Words of the list that are also words of the language. */
const ALSO: Record<string, readonly string[]> = { fr: ['Contributions', 'contributions', 'notes', 'Total'], es: ['no'], en: [] };

function englishWords(text: string, lang: 'en' | 'fr' | 'es' = 'en'): string[] {
  const found = new Set<string>();
  for (const w of ENGLISH.filter((x) => !ALSO[lang]!.includes(x))) if (new RegExp(`(?<![\\p{L}\\p{N}_-])${w}(?![\\p{L}\\p{N}_-])`, 'u').test(text)) found.add(w);
  return [...found];
}

describe('the French and Spanish pages', () => {
  let dir: string;
  let close: () => void;
  let app: FastifyInstance;
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    dir = tempDir('isu-catalogue-');
    const opened = openDatabase(path.join(dir, 'isu.sqlite'), { migrate: true });
    close = opened.close;
    const ctx = { db: opened.db, sqlite: opened.sqlite, invoiceDir: path.join(dir, 'invoices') };
    await seedDemo(ctx, cliActor('test'));
    app = await buildApp(ctx);
    await app.ready();
    for (const u of DEMO_LOGINS) {
      const form = await app.inject({ url: '/login' });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const set = ([] as string[]).concat(form.headers['set-cookie'] ?? []);
      const loginCookie = set.find((c) => c.startsWith('isu_login_csrf='))!.split(';')[0]!;
      const res = await app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
        payload: new URLSearchParams({ username: u.username, password: u.password, _csrf: csrf }).toString(),
        remoteAddress: `10.7.0.${cookies.size + 1}`,
      });
      expect(res.statusCode, u.username).toBe(303);
      const session = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('isu_session='))!.split(';')[0]!;
      cookies.set(u.username, session);
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    close?.();
  });

  const PAGES: [string, string][] = [
    ['finance', '/dashboard'],
    ['finance', '/payments'],
    ['finance', '/payments/new'],
    ['presidency', '/dashboard'],
    ['auditor', '/dashboard'],
    ['presidency', '/dashboard?year=2016&asOf=2016-12-31'],
    ['finance', '/account?state=FRA'],
    ['auditor', '/account?state=MEX'],
    ['france', '/account'],
    ['mexico', '/account'],
    ['admin', '/dashboard'], // the admin's refusal page
    ['france', '/dashboard'], // a State's refusal page
    ['presidency', '/account?state=ZZZ'], // not found
    ['presidency', '/dashboard?year=1999'], // no such budget
    ['', '/login'],
    ['', '/login?out=1'],
  ];

  /** The pages of the other areas (./page-lists/<area>.ts, as the responsive tests run them). */
  beforeAll(async () => {
    const lists = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page-lists');
    for (const file of fs.readdirSync(lists).filter((f) => f.endsWith('.ts') && f !== 'core.ts').sort()) {
      const mod = (await import(path.join(lists, file))) as Record<string, PageList>;
      for (const list of Object.values(mod)) for (const [user, urls] of Object.entries(list)) for (const url of urls) PAGES.push([user, url]);
    }
  });

  it.each(['fr', 'es'] as const)('in %s, every page of every role has its lang attribute and no common English word', async (lang) => {
    const problems: string[] = [];
    for (const [user, url] of PAGES) {
      const res = await app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`, headers: user ? { cookie: cookies.get(user)! } : {} });
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body, `${user} ${url}`).toContain(`<html lang="${lang}">`);
      const words = englishWords(pageText(res.body), lang);
      if (process.env.SHOW_WORDS) for (const w of words) console.log(url, w, pageText(res.body).match(new RegExp(`.{0,60}\\b${w}\\b.{0,60}`, 'g')));
      if (words.length) problems.push(`${user || 'visitor'} ${url}: ${words.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('finds English words on the English pages (the check works)', async () => {
    const res = await app.inject({ url: '/dashboard?lang=en', headers: { cookie: cookies.get('presidency')! } });
    expect(englishWords(pageText(res.body))).toEqual(expect.arrayContaining(['the', 'Paid', 'Outstanding', 'Coverage']));
  });

  it('remembers a language chosen with ?lang= for the user, and starts a State user in its State’s language', async () => {
    // Mexico's pages start in Spanish; the France user chose English above? No: each test chose by URL, which is remembered.
    const fresh = await app.inject({ url: '/account', headers: { cookie: cookies.get('france')! } });
    expect(fresh.body).toMatch(/<html lang="(fr|es)">/); // the last language chosen with ?lang= in the test above
    await app.inject({ url: '/account?lang=en', headers: { cookie: cookies.get('france')! } });
    const after = await app.inject({ url: '/account', headers: { cookie: cookies.get('france')!, 'accept-language': 'es' } });
    expect(after.body).toContain('<html lang="en">');
    // A visitor: Accept-Language the first time, then the cookie of the language chosen.
    expect((await app.inject({ url: '/login', headers: { 'accept-language': 'es-MX,es;q=0.9' } })).body).toContain('<html lang="es">');
    expect((await app.inject({ url: '/login', headers: { 'accept-language': 'de' } })).body).toContain('<html lang="en">');
    const chose = await app.inject({ url: '/login?lang=fr', headers: { 'accept-language': 'es' } });
    const langCookie = ([] as string[]).concat(chose.headers['set-cookie'] ?? []).find((c) => c.startsWith('isu_lang='))!;
    expect(langCookie).toMatch(/^isu_lang=fr; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict/);
    const back = await app.inject({ url: '/login', headers: { 'accept-language': 'es', cookie: langCookie.split(';')[0]! } });
    expect(back.body).toContain('<html lang="fr">');
  });

  it('shows the switch with the current path and query, hreflang, lang and aria-current', async () => {
    const res = await app.inject({ url: '/dashboard?year=2017&lang=es', headers: { cookie: cookies.get('presidency')! } });
    expect(res.body).toContain('<a href="/dashboard?year=2017&amp;lang=fr" hreflang="fr" lang="fr">Français</a>');
    expect(res.body).toContain('<a href="/dashboard?year=2017&amp;lang=es" hreflang="es" lang="es" aria-current="true">Español</a>');
  });

  it('fits the navigation to the role: never the API documentation for the Presidency, auditors or States', async () => {
    const nav = async (user: string, url: string) => {
      const body = (await app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}lang=en`, headers: { cookie: cookies.get(user)! } })).body;
      return [...(/<nav aria-label="Main"><ul>([\s\S]*?)<\/ul><\/nav>/.exec(body)?.[1] ?? '').matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    };
    expect(await nav('presidency', '/dashboard')).toEqual(['/dashboard', '/invoices', '/budgets', '/states', '/reserve', '/periods', '/reports']);
    expect(await nav('auditor', '/dashboard')).toEqual(['/dashboard', '/invoices', '/budgets', '/states', '/reserve', '/periods', '/reports']);
    expect(await nav('finance', '/dashboard')).toEqual([
      '/dashboard', '/payments', '/bank', '/invoices', '/reminders', '/budgets', '/states', '/reserve', '/expenditures', '/periods', '/reports', '/docs/',
    ]);
    expect(await nav('admin', '/dashboard')).toEqual(['/payments', '/periods', '/admin/users', '/admin/bank-details', '/docs/']);
    expect(await nav('france', '/account')).toEqual(['/account']);
    const body = (await app.inject({ url: '/dashboard', headers: { cookie: cookies.get('presidency')! } })).body;
    expect(body).toContain('<a href="/dashboard" aria-current="page">');
  });
});
