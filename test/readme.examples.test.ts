// The README's code for app authors is taken from examples/: each block marked
// `<!-- example: FILE#REGION -->` equals that region of the file (between `readme:start REGION`
// and `readme:end` comments), and every region of every example appears in the README.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { expect, it } from 'vitest';

import { repository } from './support/npm.js';

const readme = readFileSync(path.join(repository, 'README.md'), 'utf8');

/** The README's example blocks, by "file#region" ("file" alone for an unnamed region). */
function readmeBlocks(): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of readme.matchAll(/<!-- example: (\S+) -->\n```\w*\n([\s\S]*?)```/g)) blocks.set(match[1]!, match[2]!);
  return blocks;
}

/** The regions of one example file, dedented by their start marker's indentation. */
function regions(file: string): Map<string, string> {
  const found = new Map<string, string>();
  const lines = readFileSync(path.join(repository, file), 'utf8').split('\n');
  let open: { key: string; indent: number; lines: string[] } | undefined;
  for (const line of lines) {
    const start = /^(\s*)(?:\/\/|#) readme:start(?: (\S+))?$/.exec(line);
    if (start) {
      open = { key: start[2] ? `${file}#${start[2]}` : file, indent: start[1]!.length, lines: [] };
    } else if (/^\s*(?:\/\/|#) readme:end$/.test(line)) {
      found.set(open!.key, `${open!.lines.join('\n')}\n`);
      open = undefined;
    } else if (open) {
      open.lines.push(line.slice(Math.min(open.indent, line.length - line.trimStart().length)));
    }
  }
  return found;
}

function exampleFiles(directory = 'examples'): string[] {
  return readdirSync(path.join(repository, directory), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? exampleFiles(path.posix.join(directory, entry.name)) : [path.posix.join(directory, entry.name)],
  );
}

it('every README example block is the marked region of its file, and every region is shown', () => {
  const blocks = readmeBlocks();
  const all = new Map(exampleFiles().flatMap((file) => [...regions(file)]));
  expect(all.size).toBeGreaterThanOrEqual(4);
  expect([...blocks.keys()].sort()).toEqual([...all.keys()].sort());
  for (const [key, code] of blocks) expect(code, `README block for ${key}`).toBe(all.get(key));
});
