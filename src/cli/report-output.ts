/**
 * The output choices every `isu report` command offers, as the API's content
 * negotiation does: a table on the terminal by default, `--json` (the API
 * document), `--csv`, and `--pdf FILE` / `--xlsx FILE` (written to FILE, the
 * same bytes as the API answers).
 */
import fs from 'node:fs';
import type { Command } from 'commander';

export interface OutputFlags {
  csv?: boolean;
  json?: boolean;
  pdf?: string;
  xlsx?: string;
}

/** What a report can be written as; `summary` is the line printed after a file is written. */
export interface ReportOutputs {
  json: () => unknown;
  csv?: () => string;
  pdf?: () => Promise<Buffer>;
  xlsx?: () => Promise<Buffer>;
  summary: string;
}

/** Adds the output options a report offers; `api` names its route for the help text. */
export function outputOptions(cmd: Command, api: string, offers: { csv?: boolean; pdf?: boolean; xlsx?: boolean }): Command {
  if (offers.csv) cmd.option('--csv', `CSV, as ${api} with Accept: text/csv`);
  cmd.option('--json', 'the API JSON document');
  if (offers.pdf) cmd.option('--pdf <file>', `write the PDF to FILE, as ${api} with Accept: application/pdf`);
  if (offers.xlsx) cmd.option('--xlsx <file>', `write an XLSX workbook to FILE, as ${api} with Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`);
  return cmd;
}

/** Writes the report in the form the flags ask for; false when none is asked (the caller prints its table). */
export async function emitReport(o: OutputFlags, r: ReportOutputs): Promise<boolean> {
  const files: [flag: string | undefined, render: (() => Promise<Buffer>) | undefined][] = [
    [o.pdf, r.pdf],
    [o.xlsx, r.xlsx],
  ];
  let wrote = false;
  for (const [file, render] of files) {
    if (file === undefined || render === undefined) continue;
    const bytes = await render();
    fs.writeFileSync(file, bytes);
    process.stdout.write(`${r.summary} written to ${file} (${bytes.length} bytes)\n`);
    wrote = true;
  }
  if (wrote) return true;
  if (o.csv && r.csv) return void process.stdout.write(r.csv()), true;
  if (o.json) return void process.stdout.write(`${JSON.stringify(r.json())}\n`), true;
  return false;
}
