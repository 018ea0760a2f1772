// Where the compiled entry scripts live: child processes always run compiled JavaScript from
// dist/, even when the caller itself runs from TypeScript sources (tests).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `distEntry('bench/case-process.js')` → <package>/dist/bench/case-process.js */
export function distEntry(relativePath: string): string {
  return path.join(packageRoot, 'dist', relativePath);
}

/** Flags for every process a case starts: room for 10^8-element payloads. */
export function caseNodeFlags(totalMemoryBytes: number): string[] {
  const heapMegabytes = Math.min(16384, Math.floor((totalMemoryBytes / 2 ** 20) * 0.6));
  return [`--max-old-space-size=${heapMegabytes}`];
}
