// The message that carries the payload over child_process IPC and worker postMessage (ipc.ts,
// workers.ts), told apart from any other message on the same channel.
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
