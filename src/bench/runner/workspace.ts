// The names and folders one repetition of a case owns, and their removal: whatever a side made
// under them (sockets, files, segments, semaphores) goes with them, however the repetition ended.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { listOwnObjects, removeObject, SHM_DIR } from '../../cleanup.js';

export interface CaseWorkspace {
  /** A prefix for shared memory and semaphore names, unique to this repetition: "/ipclab-<pid>-<random>". */
  objectPrefix: string;
  /** A fresh folder in the temporary directory (sockets, fifos, files). */
  caseDir: string;
  /** A fresh folder on /dev/shm (files the file-shm transport writes). */
  shmDir: string;
  /** The harness's control socket, in caseDir. */
  controlPath: string;
}

export function createWorkspace(): CaseWorkspace {
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const caseDir = mkdtempSync(path.join(os.tmpdir(), `ipclab-${tag}-`));
  return {
    objectPrefix: `/ipclab-${tag}`,
    caseDir,
    shmDir: mkdtempSync(path.join(SHM_DIR, `ipclab-${tag}-files-`)),
    controlPath: path.join(caseDir, 'control.sock'),
  };
}

/** Removes the workspace's folders and every /dev/shm object under its prefix. */
export function removeWorkspace(workspace: CaseWorkspace): void {
  for (const directory of [workspace.caseDir, workspace.shmDir]) rmSync(directory, { recursive: true, force: true });
  for (const item of listOwnObjects()) {
    if (item.name.startsWith(workspace.objectPrefix)) removeObject(item);
  }
}
