/**
 * The layering of the source tree (DEVELOPERS: data flows one way,
 * http/cli → services → domain + db): checked on the import graph itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';

const SRC = path.join(PROJECT_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file (static and `import type`), resolved to paths under src/ ("services/payments.ts"). */
export function relativeImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g)) {
    const target = path.normalize(path.join(path.dirname(file), m[1]!)).replace(/\.js$/, '.ts');
    out.push(path.relative(SRC, target).split(path.sep).join('/'));
  }
  return out;
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) g.set(path.relative(SRC, file).split(path.sep).join('/'), relativeImports(file, fs.readFileSync(file, 'utf8')));
  return g;
}

/** Cycles in the graph restricted to `nodes`, each as the list of files around it. */
export function cycles(g: Map<string, string[]>, nodes: (f: string) => boolean): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of g.get(n) ?? []) {
      if (!nodes(m)) continue;
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...g.keys()].filter(nodes).sort()) if (!state.has(n)) visit(n);
  return found;
}

const layer = (f: string) => f.split('/')[0]!;

/** Which top-level folders of src/ each folder may import from. */
const ALLOWED: Record<string, string[]> = {
  domain: ['domain'],
  schemas: ['schemas', 'domain'],
  db: ['db', 'domain', 'config.ts'],
  pdf: ['pdf', 'domain'],
  // Spreadsheets of the reports: from the same documents (and words) as their PDFs.
  xlsx: ['xlsx', 'domain', 'pdf'],
  // E-invoices (EN 16931 CII XML, Factur-X XMP): a rendering layer like pdf, from the same documents (src/pdf/types.ts).
  einvoice: ['einvoice', 'domain', 'pdf'],
  services: ['services', 'domain', 'db', 'pdf', 'xlsx', 'einvoice', 'schemas', 'config.ts'],
  http: ['http', 'services', 'domain', 'db', 'pdf', 'xlsx', 'einvoice', 'schemas', 'config.ts'],
  cli: ['cli', 'http', 'services', 'domain', 'db', 'pdf', 'xlsx', 'einvoice', 'schemas', 'config.ts'],
  'config.ts': [],
};

describe('architecture', () => {
  it('the checks see a cycle and a forbidden import when there is one', () => {
    const g = new Map([
      ['services/a.ts', ['services/b.ts']],
      ['services/b.ts', ['services/a.ts', 'http/x.ts']],
    ]);
    expect(cycles(g, (f) => f.startsWith('services/'))).toEqual([['services/a.ts', 'services/b.ts', 'services/a.ts']]);
    expect(relativeImports(path.join(SRC, 'services/b.ts'), "import type { X } from '../http/schemas/x.js';\nimport { y } from './y.js';")).toEqual([
      'http/schemas/x.ts',
      'services/y.ts',
    ]);
  });

  it('every folder imports only from the layers below it (services never from http)', () => {
    const bad: string[] = [];
    for (const [file, imports] of graph())
      for (const target of imports) {
        const allowed = ALLOWED[layer(file)];
        expect(allowed, `no layering rule for ${layer(file)}`).toBeDefined();
        if (!allowed!.includes(layer(target))) bad.push(`${file} → ${target}`);
      }
    expect(bad).toEqual([]);
  });

  it('the e-invoice layer reads the documents of src/pdf (types.ts), never a PDF renderer', () => {
    const bad = [...graph()]
      .filter(([file]) => layer(file) === 'einvoice')
      .flatMap(([file, imports]) => imports.filter((t) => layer(t) === 'pdf' && t !== 'pdf/types.ts').map((t) => `${file} → ${t}`));
    expect(bad).toEqual([]);
  });

  it('no import cycle between services, nor anywhere in src/', () => {
    const g = graph();
    expect(cycles(g, (f) => f.startsWith('services/'))).toEqual([]);
    expect(cycles(g, () => true)).toEqual([]);
  });
});
