import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { gitProvenance } from '../src/bench/context.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'ipclab-test-git-'));
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('gitProvenance', () => {
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'start');

  it('records the commit, and a clean tree as clean', () => {
    expect(gitProvenance(root)).toEqual({ commit: git('rev-parse', 'HEAD'), dirty: false });
  });

  it('does not count recorded results as a change to the code that ran', () => {
    mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(root, 'bench', 'results', 'full.json'), '{}');
    expect(gitProvenance(root)?.dirty).toBe(false);
  });

  it('counts any other new or changed file as a dirty tree', () => {
    writeFileSync(path.join(root, 'changed.ts'), 'export {};');
    expect(gitProvenance(root)?.dirty).toBe(true);
  });

  it('is null outside a git checkout', () => {
    expect(gitProvenance(os.tmpdir())).toBeNull();
  });
});
