// file-tmp and file-shm (Python's File): a frame written to a file, a flag renamed into place,
// the file read back, in real processes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { waitForFile, writeFileAtomically } from '../src/bench/file-flags.js';
import { describeEveryCombination } from './support/transport-cases.js';

describeEveryCombination(['file-tmp', 'file-shm']);

describe('the completion flag', () => {
  const directories: string[] = [];
  afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));
  const freshDirectory = () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'ipclab-test-flag-'));
    directories.push(directory);
    return directory;
  };

  it('wakes the waiter when the flag is renamed into place, not when its partial file appears', async () => {
    const flag = path.join(freshDirectory(), 'payload.done');
    const wait = waitForFile(flag);
    let woken = false;
    void wait.appeared.then(() => (woken = true));
    writeFileSync(`${flag}.partial`, 'done');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(woken).toBe(false);
    await writeFileAtomically(flag, 'done');
    await wait.appeared;
    expect(woken).toBe(true);
  });

  it('resolves at once when the flag is already there', async () => {
    const flag = path.join(freshDirectory(), 'payload.done');
    writeFileSync(flag, 'done');
    await expect(waitForFile(flag).appeared).resolves.toBeUndefined();
  });
});
