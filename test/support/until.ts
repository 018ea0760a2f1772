// Waiting for something another process does, on a machine that may be loaded: poll until it
// holds or a deadline passes, instead of sleeping a fixed time and hoping.

/** Far longer than anything a test waits for takes on an idle machine. */
export const DEFAULT_DEADLINE_MS = 20_000;
const POLL_MS = 10;

/** Resolves once `check()` is true; rejects, saying what was awaited, after `deadlineMs`. */
export async function until(what: string, check: () => boolean, deadlineMs = DEFAULT_DEADLINE_MS): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`gave up after ${deadlineMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
