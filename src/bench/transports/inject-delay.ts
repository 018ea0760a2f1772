// FAULT INJECTION, for tests only: IPCLAB_BENCH_INJECT_DELAY_MS=N makes the bulk `shm` transport's
// receiver (raw and v8 codecs) wait N ms once the payload has arrived, before it counts as received:
// a known slowdown of a real build that `ipclab compare` must mark (test/cli.compare.real-runs.test.ts).
// Unset or 0: no delay.

export const INJECT_DELAY_ENV = 'IPCLAB_BENCH_INJECT_DELAY_MS';

/** The injected delay in ms (0 when unset); a value that is not a non-negative number is refused. */
export function injectedDelayMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[INJECT_DELAY_ENV];
  if (text === undefined || text === '') return 0;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${INJECT_DELAY_ENV}="${text}": expected a number of milliseconds, 0 or more`);
  return ms;
}

/** Read once when a case process loads its transport, so no environment lookup lands inside a timed window. */
const DELAY_MS = injectedDelayMs();

/** Waits the injected delay, if any (fault injection: see the top of this file). */
export async function injectDelay(): Promise<void> {
  if (DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
}
