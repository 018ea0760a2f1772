// A small file as a flag between processes: written whole (write, then rename) so that a reader
// sees all of it or none of it, and waited for with a watch on its folder plus a slow poll.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** How often waitForFile looks again, should a watch event be missed. */
const FILE_POLL_MS = 250;

export interface FileWait {
  appeared: Promise<void>;
  close(): void;
}

/** Resolves once `filePath` exists: a watch on its directory, plus a slow poll as a safety net. */
export function waitForFile(filePath: string): FileWait {
  const name = path.basename(filePath);
  let watcher: FSWatcher | undefined;
  let poll: NodeJS.Timeout | undefined;
  let settled = false;
  const close = () => {
    settled = true;
    watcher?.close();
    clearInterval(poll);
  };
  const appeared = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!settled && existsSync(filePath)) {
        close();
        resolve();
      }
    };
    watcher = watch(path.dirname(filePath), (_event, changed) => {
      if (changed === name) check();
    });
    watcher.on('error', (error) => {
      close();
      reject(error);
    });
    poll = setInterval(check, FILE_POLL_MS);
    check();
  });
  return { appeared, close };
}

/** Writes a small file so that readers see all of it or none of it (write, then rename). */
export async function writeFileAtomically(filePath: string, contents: string): Promise<void> {
  const partial = `${filePath}.partial`;
  await writeFile(partial, contents);
  await rename(partial, filePath);
}
