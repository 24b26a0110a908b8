/** Plain text tables for the terminal: text left, figures right. */
export function printTable(header: string[], rows: string[][], footer?: string[], out: NodeJS.WritableStream = process.stdout): void {
  const all = [header, ...rows, ...(footer ? [footer] : [])];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.every((r) => /^-?[0-9.,%/ ]*$/.test(r[i] ?? '')));
  const line = (r: string[]) => r.map((c, i) => (numeric[i] ? (c ?? '').padStart(widths[i]!) : (c ?? '').padEnd(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  out.write(`${line(header)}\n${rule}\n${rows.map(line).join('\n')}\n`);
  if (footer) out.write(`${rule}\n${line(footer)}\n`);
}
