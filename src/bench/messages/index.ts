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
import { semaphoreMessageTransport, shmMessageTransport, shmValueMessageTransport } from './shm.js';
import type { MessageTransport, MessageTransportId } from './types.js';

export const messageTransports: MessageTransport[] = [
  shmMessageTransport,
  shmValueMessageTransport,
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

export const messageTransportIds = (): MessageTransportId[] => messageTransports.map((transport) => transport.id);
