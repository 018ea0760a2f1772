// The registry: every transport under its id, listed in the order of TRANSPORT_IDS.
import { INTEROP_TRANSPORT_IDS, isOneOf, NODE_TRANSPORT_IDS, PYTHON_TRANSPORT_IDS, TRANSPORT_IDS, type TransportId } from '../ids.js';
import type { Transport } from '../side.js';
import { brokerTransport } from './broker.js';
import { fileShmTransport, fileTmpTransport } from './files.js';
import { interopNodeToPyChannelTransport, interopNodeToPyTransport, interopPyToNodeChannelTransport, interopPyToNodeTransport } from './interop.js';
import { ipcAdvancedTransport, ipcJsonTransport } from './ipc.js';
import { pipeTransport } from './pipe.js';
import { pythonTransports } from './python.js';
import { shmElementTransport } from './shm-element.js';
import { shmZeroCopyTransport } from './shm-zero-copy.js';
import { shmTransport } from './shm.js';
import { tcpTransport, unixTransport } from './sockets.js';
import { workerCloneTransport, workerSabTransport, workerTransferTransport } from './workers.js';

const byId: Record<TransportId, Transport> = {
  'ipc-json': ipcJsonTransport,
  'ipc-advanced': ipcAdvancedTransport,
  pipe: pipeTransport,
  'shm-element': shmElementTransport,
  broker: brokerTransport,
  shm: shmTransport,
  'shm-zero-copy': shmZeroCopyTransport,
  'file-tmp': fileTmpTransport,
  'file-shm': fileShmTransport,
  tcp: tcpTransport,
  unix: unixTransport,
  'worker-clone': workerCloneTransport,
  'worker-transfer': workerTransferTransport,
  'worker-sab': workerSabTransport,
  ...pythonTransports,
  'interop-node-to-py': interopNodeToPyTransport,
  'interop-py-to-node': interopPyToNodeTransport,
  'interop-node-to-py-channel': interopNodeToPyChannelTransport,
  'interop-py-to-node-channel': interopPyToNodeChannelTransport,
};

/** Node's transports: the default run. */
export const transports: Transport[] = NODE_TRANSPORT_IDS.map((id) => byId[id]);

/** Python's own multiprocessing rows and the Node<->Python cases: run by `--python` or by id. */
export const pythonSideTransports: Transport[] = [...PYTHON_TRANSPORT_IDS, ...INTEROP_TRANSPORT_IDS].map((id) => byId[id]);

/** Every transport: what `ipclab list` shows and ids resolve against. */
export const allTransports: Transport[] = TRANSPORT_IDS.map((id) => byId[id]);

export function transportById(id: string): Transport | undefined {
  return isOneOf(TRANSPORT_IDS, id) ? byId[id] : undefined;
}
