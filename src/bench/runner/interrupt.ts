// Ctrl-C during a run: every running repetition kills its processes and removes what it made.
import os from 'node:os';

/** What each running repetition must undo at once if the benchmark is interrupted. */
const cleanups = new Set<() => void>();

/** Runs `cleanup` on SIGINT or SIGTERM until the returned function is called. */
export function onInterrupt(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Makes SIGINT (Ctrl-C) and SIGTERM kill every case's processes and remove what they made, then exit. */
export function cleanUpOnInterrupt(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const cleanup of cleanups) cleanup();
      process.stderr.write(`\nInterrupted by ${signal}: stopped every case and removed what they made.\n`);
      process.exit(128 + os.constants.signals[signal]);
    });
  }
}
