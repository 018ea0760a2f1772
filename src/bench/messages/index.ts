// The message-mode registry: every message transport under its id, listed in the order of MESSAGE_TRANSPORT_IDS.
import { isOneOf, MESSAGE_TRANSPORT_IDS, NODE_MESSAGE_TRANSPORT_IDS, type MessageMode, type MessageTransportId } from '../ids.js';
import type { MessageTransport } from '../side.js';
import { nativeMessageTransport } from './native.js';
import {
  ipcAdvancedMessageTransport,
  ipcJsonMessageTransport,
  pipeMessageTransport,
  tcpMessageTransport,
  unixMessageTransport,
  workerCloneMessageTransport,
} from './node.js';
import { interopNodeToPyMessageTransport, interopPyToNodeMessageTransport, pyPipeMessageTransport } from './python.js';
import { semaphoreMessageTransport, shmBatchMessageTransport, shmMessageTransport, shmValueMessageTransport } from './shm.js';

const byId: Record<MessageTransportId, MessageTransport> = {
  shm: shmMessageTransport,
  'shm-value': shmValueMessageTransport,
  'shm-batch': shmBatchMessageTransport,
  semaphore: semaphoreMessageTransport,
  'ipc-json': ipcJsonMessageTransport,
  'ipc-advanced': ipcAdvancedMessageTransport,
  pipe: pipeMessageTransport,
  unix: unixMessageTransport,
  tcp: tcpMessageTransport,
  'worker-clone': workerCloneMessageTransport,
  native: nativeMessageTransport,
  'interop-node-to-py-channel': interopNodeToPyMessageTransport,
  'interop-py-to-node-channel': interopPyToNodeMessageTransport,
  'py-pipe': pyPipeMessageTransport,
};

export const messageTransports: MessageTransport[] = MESSAGE_TRANSPORT_IDS.map((id) => byId[id]);

export function messageTransportById(id: string): MessageTransport | undefined {
  return isOneOf(MESSAGE_TRANSPORT_IDS, id) ? byId[id] : undefined;
}

/** Every transport's id, or those that run in `mode`; `python` adds the paths with Python on a side. */
export const messageTransportIds = (mode?: MessageMode, python = false): MessageTransportId[] =>
  messageTransports
    .filter((transport) => (python || isOneOf(NODE_MESSAGE_TRANSPORT_IDS, transport.id)) && (mode === undefined || runsIn(transport, mode)))
    .map((transport) => transport.id);

export const runsIn = (transport: MessageTransport, mode: MessageMode): boolean => transport.modes === undefined || transport.modes.includes(mode);
