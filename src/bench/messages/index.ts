// The message-mode registry, in the order reports list them: ipclab's paths, then Node's, then the native floor.
import { nativeMessageTransport } from './native.js';
import {
  ipcAdvancedMessageTransport,
  ipcJsonMessageTransport,
  pipeMessageTransport,
  tcpMessageTransport,
  unixMessageTransport,
  workerCloneMessageTransport,
} from './node.js';
import { semaphoreMessageTransport, shmBatchMessageTransport, shmMessageTransport, shmValueMessageTransport } from './shm.js';
import type { MessageMode, MessageTransport, MessageTransportId } from './types.js';

export const messageTransports: MessageTransport[] = [
  shmMessageTransport,
  shmValueMessageTransport,
  shmBatchMessageTransport,
  semaphoreMessageTransport,
  ipcJsonMessageTransport,
  ipcAdvancedMessageTransport,
  pipeMessageTransport,
  unixMessageTransport,
  tcpMessageTransport,
  workerCloneMessageTransport,
  nativeMessageTransport,
];

export function messageTransportById(id: string): MessageTransport | undefined {
  return messageTransports.find((transport) => transport.id === id);
}

/** Every transport's id, or those that run in `mode`. */
export const messageTransportIds = (mode?: MessageMode): MessageTransportId[] =>
  messageTransports.filter((transport) => mode === undefined || runsIn(transport, mode)).map((transport) => transport.id);

export const runsIn = (transport: MessageTransport, mode: MessageMode): boolean => transport.modes === undefined || transport.modes.includes(mode);
