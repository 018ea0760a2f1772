// Ending a process a side started (a forked receiver, a broker, a message server): waited for
// when it ends by itself once its part is done, killed when it never got that far.
import type { ChildProcess } from 'node:child_process';

/** Resolves when the child has exited (at once if it already has). */
export function childExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Ends a process this side started. `waitForIt`: it has its payload and ends by itself after
 * reporting, so wait; otherwise (the send failed or never ran) kill it.
 */
export async function releaseChild(child: ChildProcess, waitForIt: boolean): Promise<void> {
  const exited = childExit(child);
  if (!waitForIt) child.kill('SIGKILL');
  await exited;
}
