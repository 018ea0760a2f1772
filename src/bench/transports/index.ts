// The registry: every transport, in the order reports list them.
import type { Transport, TransportId } from '../types.js';
import { brokerTransport } from './broker.js';
import { fileShmTransport, fileTmpTransport } from './files.js';
import { ipcAdvancedTransport, ipcJsonTransport } from './ipc.js';
import { pipeTransport } from './pipe.js';
import { shmElementTransport } from './shm-element.js';
import { shmZeroCopyTransport } from './shm-zero-copy.js';
import { shmTransport } from './shm.js';
import { tcpTransport, unixTransport } from './sockets.js';
import { workerCloneTransport, workerSabTransport, workerTransferTransport } from './workers.js';

export const transports: Transport[] = [
  ipcJsonTransport,
  ipcAdvancedTransport,
  pipeTransport,
  shmElementTransport,
  brokerTransport,
  shmTransport,
  shmZeroCopyTransport,
  fileTmpTransport,
  fileShmTransport,
  tcpTransport,
  unixTransport,
  workerCloneTransport,
  workerTransferTransport,
  workerSabTransport,
];

export function transportById(id: string): Transport | undefined {
  return transports.find((transport) => transport.id === id);
}

export const transportIds = (): TransportId[] => transports.map((transport) => transport.id);
