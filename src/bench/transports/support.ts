// What the transports that hand the payload to Node share: the message that carries it over IPC
// and worker postMessage, and ending a child process a side started.
import type { ChildProcess } from 'node:child_process';

import type { Payload } from '../side.js';

/** The message that carries the payload over IPC and worker postMessage. */
export const PAYLOAD_MESSAGE = 'ipclab-payload';

export interface PayloadMessage {
  type: typeof PAYLOAD_MESSAGE;
  value: Payload;
}

export function isPayloadMessage(message: unknown): message is PayloadMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === PAYLOAD_MESSAGE;
}

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
