// The registry: every transport, in the order reports list them.
import type { Transport, TransportId } from '../types.js';
import { brokerTransport } from './broker.js';
import { fileShmTransport, fileTmpTransport } from './files.js';
import { interopNodeToPyTransport, interopPyToNodeTransport } from './interop.js';
import { ipcAdvancedTransport, ipcJsonTransport } from './ipc.js';
import { pipeTransport } from './pipe.js';
import { pythonTransports } from './python.js';
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

/** Python's own multiprocessing rows and the Node<->Python cases: run by `--python` or by id. */
export const pythonSideTransports: Transport[] = [...pythonTransports, interopNodeToPyTransport, interopPyToNodeTransport];

/** Every transport: what `ipclab list` shows and ids resolve against. The default run is `transports` (Node's). */
export const allTransports: Transport[] = [...transports, ...pythonSideTransports];

export function transportById(id: string): Transport | undefined {
  return allTransports.find((transport) => transport.id === id);
}

export const transportIds = (): TransportId[] => allTransports.map((transport) => transport.id);
