// `ipclab report` and `ipclab compare`: read saved runs (checked against the schema of their
// version, so a file that is not a result fails with the first offending path; one written before
// schema 3 is read into the current shape), render them, and write a report file only where none
// exists unless --force.
import { readFileSync, writeFileSync } from 'node:fs';

import type { BenchOutput } from '../bench/results.js';
import type { CommandName } from './flags.js';
import { UsageError } from './usage-error.js';

/** A saved `ipclab bench --format json` run, read, validated and in the current shape. */
export async function readBenchOutput(file: string, command: CommandName): Promise<BenchOutput> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(error));
    throw new UsageError(`cannot read "${file}": ${why}; expected a JSON file written by "ipclab bench --format json --out FILE"`, command);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`"${file}" is not JSON (${(error as Error).message}); expected the output of "ipclab bench --format json"`, command);
  }
  const { readSavedOutput } = await import('../bench/saved.js');
  const { output, problems } = readSavedOutput(value);
  if (problems) {
    const more = problems.length > 1 ? ` (${problems.length - 1} more problem(s) after it)` : '';
    throw new UsageError(`"${file}" is not an ipclab bench result: ${problems[0]}${more}`, command);
  }
  return output;
}

/** Writes `text` to `file`; an existing file is replaced only with `force`. */
export function writeReportFile(file: string, text: string, force: boolean, command: CommandName): void {
  try {
    writeFileSync(file, text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST') throw new UsageError(`--out: "${file}" already exists; add --force to replace it`, command);
    if (code === 'ENOENT') throw new UsageError(`--out: the directory of "${file}" does not exist`, command);
    if (code === 'EISDIR') throw new UsageError(`--out: "${file}" is a directory; expected a file path`, command);
    throw error;
  }
}
